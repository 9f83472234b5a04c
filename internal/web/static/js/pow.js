// KTGS: the optional proof of work of the public letter form.
//
// The public form (gửi đơn thư tố cáo, khiếu nại, kiến nghị, phản ánh) is
// open to anyone, without an account, so the server refuses a form sent
// back sooner than a few seconds after it was shown: no person fills in a
// letter that fast, a bot does. This script lets a fast person through
// anyway. While they type, it finds a number ("nonce") such that
// SHA-256(challenge + ":" + nonce) starts with `bits` zero bits, the
// challenge and bits coming from the server in the form's attributes:
//
//   <form method="post" data-pow data-pow-challenge="…hex…" data-pow-bits="18">
//     <input type="hidden" name="pow" value="">
//
// and writes the nonce into the hidden input "pow". The server checks it
// in one hash (guard.VerifyPow; guard.SolvePow is the same search in Go):
// nonces are tried in order 0, 1, 2, … as decimal strings.
//
// It is a progressive enhancement and never blocks the form. The form
// works without JavaScript (the server then just applies its minimum
// time); this script adds no submit handler, so a form sent before the
// work is done goes as it is, with an empty "pow", and is judged by the
// same minimum time. Without Web Crypto (crypto.subtle needs HTTPS or
// localhost) it does nothing. The work runs in small batches and yields to
// the event loop every 2000 tries or so, so typing stays smooth. No eval,
// no inline code, no request: it passes the site's Content-Security-Policy
// (script-src 'self').
(function () {
  'use strict';

  var BATCH = 50;          // digests in flight at once
  var YIELD_EVERY = 2000;  // tries between yields to the event loop (a multiple of BATCH)
  var MAX_BITS = 32;       // refuse a difficulty the browser could never meet

  // leadingZeros reports whether the digest starts with at least bits zero bits.
  function leadingZeros(digest, bits) {
    var b = new Uint8Array(digest);
    var i = 0;
    for (; bits >= 8; bits -= 8, i++) {
      if (b[i] !== 0) {
        return false;
      }
    }
    return bits === 0 || (b[i] >> (8 - bits)) === 0;
  }

  function solve(form) {
    var challenge = form.getAttribute('data-pow-challenge') || '';
    var bits = parseInt(form.getAttribute('data-pow-bits'), 10);
    var out = form.querySelector('input[name="pow"]');
    if (!out || !/^[0-9a-f]{1,128}$/.test(challenge) || !(bits >= 1 && bits <= MAX_BITS)) {
      return;
    }
    var encoder = new TextEncoder();
    var prefix = challenge + ':';
    var next = 0;       // the next nonce to try
    var sinceYield = 0;

    function batch() {
      var start = next;
      var digests = [];
      for (var i = 0; i < BATCH; i++) {
        digests.push(crypto.subtle.digest('SHA-256', encoder.encode(prefix + (start + i))));
      }
      next += BATCH;
      Promise.all(digests).then(function (hashes) {
        for (var j = 0; j < hashes.length; j++) {
          if (leadingZeros(hashes[j], bits)) {
            out.value = String(start + j);
            form.setAttribute('data-pow-done', '');
            return;
          }
        }
        sinceYield += BATCH;
        if (sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          setTimeout(batch, 0);
        } else {
          batch();
        }
      }, function () {
        // Web Crypto failed: give up quietly; the minimum time applies.
      });
    }
    batch();
  }

  function start() {
    if (!window.crypto || !window.crypto.subtle || typeof TextEncoder === 'undefined' || typeof Promise === 'undefined') {
      return;
    }
    var forms = document.querySelectorAll('form[data-pow]');
    for (var i = 0; i < forms.length; i++) {
      solve(forms[i]);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start(); // loaded with defer or async after the document was parsed
  }
})();
