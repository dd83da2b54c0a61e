/* sobre.js, optional: remembered definition; "Listen only" in the player at the same time,
   captions kept; audio while the page is hidden; the line under a player follows the file
   it plays (data-fp: label|size|total|use|Wh small screen|... large). */
(function () {
  var d = document, K = 'sobre-def', S = d.getElementById('def'), M = d.getElementById('main'),
    T = M && M.getAttribute('data-w'), B = M && M.getAttribute('data-b');
  if (!T) return;
  function all(q, f, r) { [].forEach.call((r || d).querySelectorAll(q), f); }
  function art(v) { return v.closest('article'); }
  function link(v, r) { return art(v).querySelector('a[data-role="' + r + '"]'); }
  function say(v, a) {
    var f = a && a.getAttribute('data-fp').split('|');
    if (f && f.length > (T.indexOf('{g}') < 0 ? 1 : 7)) all('.w', function (p) {
      var k = p.classList.contains('l') ? 5 : 2, x = {l: f[0], s: f[1], g: f[k], o: f[k + 1], w: f[k + 2]};
      p.textContent = p.getAttribute('data-p') + T.replace(/\{(\w)\}/g, function (m, c) { return x[c]; });
    }, art(v));
  }
  function go(v, t, p) { v.currentTime = t; if (p) v.play().catch(function () {}); }
  function audio(v, on, auto) { /* auto: the page was hidden */
    var a = link(v, 'audio'), t = v.currentTime, p = !v.paused || (on && !auto);
    if (!a || !on === !v.hasAttribute('data-audio')) return;
    a.t = a.t || a.textContent;
    if (on) { v.setAttribute('data-audio', auto ? 'auto' : ''); v.src = a.getAttribute('href'); }
    else { v.removeAttribute('data-audio'); v.removeAttribute('src'); v.load(); }
    a.textContent = on ? B : a.t;
    go(v, t, p);
  }
  function pick(r) { /* an unstarted player is swapped for an edited copy: load() fetches */
    all('video', function (v) {
      var busy = v.currentTime || !v.paused, n = busy ? v : v.cloneNode(true),
        old = n.querySelector('[data-pick]'), a = r && link(v, r), s, t = v.currentTime;
      if (a) say(v, a); else all('.w', function (p) { p.textContent = p.t; }, art(v));
      if (!old && !a) return;
      if (old) old.remove();
      if (a) {
        s = d.createElement('source');
        s.src = a.getAttribute('href'); s.type = a.type; s.setAttribute('data-pick', '');
        n.prepend(s);
      }
      if (!busy) return v.replaceWith(n);
      busy = !v.paused; v.load(); go(v, t, busy);
    });
  }
  all('.w', function (p) { p.t = p.textContent; });
  d.addEventListener('loadstart', function (e) {
    var v = e.target;
    if (v.tagName === 'VIDEO' && v.getAttribute('data-audio') !== 'auto')
      all('a[data-fp]', function (a) { if (a.href === v.currentSrc) say(v, a); }, art(v));
  }, true);
  d.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-role="audio"]'), v = a && art(a).querySelector('video');
    if (v) { e.preventDefault(); audio(v, !v.hasAttribute('data-audio'), 0); }
  });
  d.addEventListener('visibilitychange', function () {
    all('video', function (v) {
      if (d.hidden && !v.paused) audio(v, 1, 1);
      else if (!d.hidden && v.getAttribute('data-audio') === 'auto') audio(v, 0, 1);
    });
  });
  if (S) {
    try { S.value = localStorage.getItem(K) || ''; } catch (e) {}
    if (S.selectedIndex < 0) S.value = '';
    S.onchange = function () {
      try { localStorage.setItem(K, S.value); } catch (e) {}
      pick(S.value);
    };
    S.disabled = false;
    pick(S.value);
  }
})();
