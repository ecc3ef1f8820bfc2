// MegaTicket page behaviour that htmx attributes cannot express under a strict CSP (no inline script, no eval):
// keyboard movement on the seat map, the 4-seat cap, and the payment countdown. Everything works without it:
// seats are real checkboxes in a real form, and the server enforces the cap and the hold's expiry.
(function () {
  'use strict';

  var SEAT = '#seat-map input[name="seat"]';

  function seatsOf(row) {
    return Array.prototype.slice.call(row.querySelectorAll('input[name="seat"]'));
  }

  // Roving tabindex: one seat is in the tab order; arrow keys move within the map.
  function initSeatMap(root) {
    var map = (root || document).querySelector ? document.getElementById('seat-map') : null;
    if (!map) return;
    var inputs = Array.prototype.slice.call(map.querySelectorAll('input[name="seat"]'));
    var current =
      inputs.filter(function (i) {
        return i.tabIndex === 0 && !i.disabled;
      })[0] ||
      inputs.filter(function (i) {
        return i.checked && !i.disabled;
      })[0] ||
      inputs.filter(function (i) {
        return !i.disabled;
      })[0];
    inputs.forEach(function (i) {
      i.tabIndex = i === current ? 0 : -1;
    });
  }

  function focusSeat(target) {
    if (!target) return;
    var map = document.getElementById('seat-map');
    Array.prototype.forEach.call(map.querySelectorAll('input[name="seat"][tabindex="0"]'), function (i) {
      i.tabIndex = -1;
    });
    target.tabIndex = 0;
    target.focus();
  }

  function nextInRow(input, step) {
    var list = seatsOf(input.closest('.row'));
    for (var i = list.indexOf(input) + step; i >= 0 && i < list.length; i += step)
      if (!list[i].disabled) return list[i];
    return null;
  }

  function nextRow(input, step) {
    var row = input.closest('.row');
    var rows = Array.prototype.slice.call(document.querySelectorAll('#seat-map .row'));
    var x = input.getBoundingClientRect().left;
    for (var r = rows.indexOf(row) + step; r >= 0 && r < rows.length; r += step) {
      var candidates = seatsOf(rows[r]).filter(function (i) {
        return !i.disabled;
      });
      if (candidates.length === 0) continue;
      candidates.sort(function (a, b) {
        return Math.abs(a.getBoundingClientRect().left - x) - Math.abs(b.getBoundingClientRect().left - x);
      });
      return candidates[0];
    }
    return null;
  }

  document.addEventListener('keydown', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches(SEAT)) return;
    var target;
    switch (event.key) {
      case 'ArrowRight':
        target = nextInRow(input, 1);
        break;
      case 'ArrowLeft':
        target = nextInRow(input, -1);
        break;
      case 'ArrowDown':
        target = nextRow(input, 1);
        break;
      case 'ArrowUp':
        target = nextRow(input, -1);
        break;
      case 'Enter':
        event.preventDefault();
        input.click();
        return;
      default:
        return;
    }
    event.preventDefault();
    focusSeat(target);
  });

  document.addEventListener('focusin', function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.matches(SEAT) && input.tabIndex !== 0) focusSeat(input);
  });

  // The cap: a 5th seat is refused at once, with the server's message (the server refuses it too).
  document.addEventListener(
    'change',
    function (event) {
      var input = event.target;
      if (!(input instanceof HTMLInputElement) || !input.matches(SEAT) || !input.checked) return;
      var page = input.closest('[data-max-seats]');
      var max = page ? Number(page.getAttribute('data-max-seats')) : 4;
      var chosen = document.querySelectorAll(SEAT + ':checked:not(:disabled)').length;
      if (chosen <= max) return;
      input.checked = false;
      event.stopImmediatePropagation();
      var notice = document.getElementById('seat-notice');
      if (notice) {
        var p = document.createElement('p');
        p.className = 'notice is-error';
        p.setAttribute('role', 'alert');
        p.textContent = page.getAttribute('data-max-message');
        notice.replaceChildren(p);
      }
    },
    true,
  );

  // Countdown from the server's remaining time (not the browser's clock); at 0 it asks the server, which releases
  // the hold and answers the "expired" page.
  function startCountdowns() {
    Array.prototype.forEach.call(document.querySelectorAll('.countdown[data-remaining-ms]'), function (el) {
      if (el.dataset.started) return;
      el.dataset.started = '1';
      var end = performance.now() + Number(el.getAttribute('data-remaining-ms'));
      var clock = el.querySelector('.clock');
      var tick = function () {
        if (!el.isConnected) return;
        var left = Math.max(0, Math.ceil((end - performance.now()) / 1000));
        if (clock) clock.textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
        if (left <= 0) {
          el.dispatchEvent(new CustomEvent('expired', { bubbles: false }));
          return;
        }
        setTimeout(tick, 250);
      };
      tick();
    });
  }

  // The page's CSRF token (last in the body, see views/layouts/base.eta) on every same-origin htmx request that
  // changes something. Forms carry it as `_csrf` as well, so they work without JavaScript.
  document.addEventListener('htmx:config:request', function (event) {
    var field = document.getElementById('csrf-token');
    var request = event.detail && event.detail.ctx && event.detail.ctx.request;
    if (!field || !request || /^(GET|HEAD)$/i.test(request.method)) return;
    if (new window.URL(request.action, window.location.href).origin === window.location.origin) {
      request.headers['X-CSRF-Token'] = field.value;
    }
  });

  function init() {
    initSeatMap();
    startCountdowns();
  }
  document.addEventListener('DOMContentLoaded', init);
  document.addEventListener('htmx:after:settle', init);
  if (document.readyState !== 'loading') init();
})();
