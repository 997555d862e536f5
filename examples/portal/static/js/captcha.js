// tqreg slider captcha (拖动滑块补全拼图): drag the handle (pointer events: mouse, touch, pen) or
// move it with the arrow keys; the piece follows, and the hidden captcha_answer field gets the
// piece's X offset in background pixels. Keyboard and screen-reader users also have the typed
// alternative (a link on the page). No inline script anywhere (CSP).
(function () {
  "use strict";

  function setup(root) {
    if (!root || root.dataset.ready) { return; }
    root.dataset.ready = "1";
    var width = parseInt(root.dataset.width, 10) || 320;
    var pieceSize = parseInt(root.dataset.pieceSize, 10) || 56;
    var pieceY = parseInt(root.dataset.pieceY, 10) || 0;
    var stage = root.querySelector(".captcha-stage");
    var piece = root.querySelector("img.piece");
    var track = root.querySelector(".captcha-track");
    var handle = root.querySelector(".captcha-handle");
    var answer = root.querySelector("input[name=captcha_answer]");
    var x = 0; // offset in background pixels

    function scale() { return stage.clientWidth / width || 1; }
    function maxX() { return width - pieceSize; }
    function draw() {
      var k = scale();
      piece.style.width = (pieceSize * k) + "px";
      piece.style.height = (pieceSize * k) + "px";
      piece.style.top = (pieceY * k) + "px";
      piece.style.left = (x * k) + "px";
      var room = track.clientWidth - handle.offsetWidth;
      handle.style.left = (room * x / maxX()) + "px";
    }
    function set(v, done) {
      x = Math.max(0, Math.min(maxX(), Math.round(v)));
      draw();
      if (done) { answer.value = String(x); }
    }

    var dragging = false, startClient = 0, startX = 0;
    handle.addEventListener("pointerdown", function (e) {
      dragging = true; startClient = e.clientX; startX = x;
      handle.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    handle.addEventListener("pointermove", function (e) {
      if (!dragging) { return; }
      var room = track.clientWidth - handle.offsetWidth;
      set(startX + (e.clientX - startClient) * maxX() / room, false);
    });
    function end(e) {
      if (!dragging) { return; }
      dragging = false;
      set(x, true);
      if (handle.hasPointerCapture && handle.hasPointerCapture(e.pointerId)) { handle.releasePointerCapture(e.pointerId); }
    }
    handle.addEventListener("pointerup", end);
    handle.addEventListener("pointercancel", end);
    handle.addEventListener("keydown", function (e) {
      var step = e.shiftKey ? 10 : 1;
      if (e.key === "ArrowRight") { set(x + step, true); e.preventDefault(); }
      if (e.key === "ArrowLeft") { set(x - step, true); e.preventDefault(); }
    });
    window.addEventListener("resize", draw);
    draw();
  }

  function scan(el) {
    var list = (el || document).querySelectorAll("[data-testid=captcha-slider]");
    for (var i = 0; i < list.length; i++) { setup(list[i]); }
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (e) { scan(e.target); });
})();
