/* sobre.js (optional, about 1 KB): remembers the chosen definition, and plays the
   audio-only file while the page is hidden. Without it the site works the same. */
(function () {
  var d = document, K = 'sobre-def', sel = d.getElementById('def'),
    V = [].slice.call(d.querySelectorAll('video'));
  function get() { try { return localStorage.getItem(K) || ''; } catch (e) { return ''; } }
  function link(v, role) { return v.closest('article').querySelector('a[data-role="' + role + '"]'); }
  function reload(v) {
    if (!v.currentSrc) return;
    var t = v.currentTime, p = !v.paused;
    v.load(); v.currentTime = t;
    if (p) v.play().catch(function () {});
  }
  function pick(role) {
    V.forEach(function (v) {
      var old = v.querySelector('source[data-pick]'), a = role && link(v, role), s;
      if (old) old.remove();
      if (a) {
        s = d.createElement('source');
        s.src = a.getAttribute('href'); s.type = a.type; s.setAttribute('data-pick', '');
        v.insertBefore(s, v.firstChild);
      }
      if (old || a) reload(v);
    });
  }
  if (sel) {
    sel.value = get();
    if (sel.selectedIndex < 0) sel.value = '';
    sel.addEventListener('change', function () {
      try { localStorage.setItem(K, sel.value); } catch (e) {}
      pick(sel.value);
    });
    sel.parentNode.hidden = false;
    pick(sel.value);
  }
  d.addEventListener('visibilitychange', function () {
    V.forEach(function (v) {
      var a = link(v, 'audio');
      if (!a) return;
      var t = v.currentTime;
      if (d.hidden && !v.paused) { v.setAttribute('data-audio', ''); v.src = a.getAttribute('href'); }
      else if (!d.hidden && v.hasAttribute('data-audio')) { v.removeAttribute('data-audio'); v.removeAttribute('src'); v.load(); }
      else return;
      v.currentTime = t;
      v.play().catch(function () {});
    });
  });
})();
