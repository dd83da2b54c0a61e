/* sobre.js (optional): remembered definition; audio only while the page is hidden */
(function () {
  var d = document, K = 'sobre-def', sel = d.getElementById('def'),
    V = [].slice.call(d.querySelectorAll('video'));
  function link(v, role) { return v.closest('article').querySelector('a[data-role="' + role + '"]'); }
  function go(v, t, play) { v.currentTime = t; if (play) v.play().catch(function () {}); }
  /* unstarted players are swapped for an edited copy: load() would fetch media */
  function pick(role) {
    V = V.map(function (v) {
      var busy = v.currentTime || !v.paused, n = busy ? v : v.cloneNode(true),
        old = n.querySelector('[data-pick]'), a = role && link(v, role), s, t = v.currentTime;
      if (!old && !a) return v;
      if (old) old.remove();
      if (a) {
        s = d.createElement('source');
        s.src = a.getAttribute('href'); s.type = a.type; s.setAttribute('data-pick', '');
        n.prepend(s);
      }
      if (!busy) { v.replaceWith(n); return n; }
      busy = !v.paused; v.load(); go(v, t, busy);
      return v;
    });
  }
  if (sel) {
    try { sel.value = localStorage.getItem(K) || ''; } catch (e) {}
    if (sel.selectedIndex < 0) sel.value = '';
    sel.onchange = function () {
      try { localStorage.setItem(K, sel.value); } catch (e) {}
      pick(sel.value);
    };
    sel.parentNode.hidden = false;
    pick(sel.value);
  }
  d.addEventListener('visibilitychange', function () {
    V.forEach(function (v) {
      var a = link(v, 'audio'), t = v.currentTime;
      if (a && d.hidden && !v.paused) { v.setAttribute('data-audio', ''); v.src = a.getAttribute('href'); }
      else if (!d.hidden && v.hasAttribute('data-audio')) { v.removeAttribute('data-audio'); v.removeAttribute('src'); v.load(); }
      else return;
      go(v, t, 1);
    });
  });
})();
