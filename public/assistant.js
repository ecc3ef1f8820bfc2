// The assistant's form conveniences. The chat works without this file (a plain form post); htmx and the hx-sse
// extension do the streaming.
(function () {
  'use strict';

  // Enter sends, Shift+Enter starts a new line.
  document.addEventListener('keydown', function (event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches('.assistant-form textarea')) return;
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    if (box.value.trim() !== '') box.form.requestSubmit();
  });

  // htmx has already read the form when the request starts: clear the box for the next message.
  document.addEventListener('htmx:before:request', function (event) {
    var form = event.target;
    if (!form || !form.matches || !form.matches('form.assistant-form')) return;
    var box = form.querySelector('textarea');
    if (box) box.value = '';
  });

  // Keep the newest text in view while it streams in.
  document.addEventListener('htmx:after:swap', function () {
    var log = document.getElementById('assistant-log');
    if (log) log.scrollTop = log.scrollHeight;
  });

  // A narrower window (a phone turned, a window resized) re-wraps the log: whoever was reading the newest message
  // stays at the newest message.
  var atBottom = true;
  document.addEventListener(
    'scroll',
    function (event) {
      var log = event.target;
      if (log && log.id === 'assistant-log') atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    },
    true,
  );
  window.addEventListener('resize', function () {
    var log = document.getElementById('assistant-log');
    if (log && atBottom) log.scrollTop = log.scrollHeight;
  });
})();
