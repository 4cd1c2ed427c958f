/* Document page viewer of the Loket back office: page through, zoom and rotate scanned pages.
 *
 * Markup (every [data-viewer] section on the page gets one viewer):
 *   <section class="viewer" data-viewer>
 *     <a class="viewer-thumb" href="FULL" data-full="FULL" data-label="..."><img src="THUMB" alt="..."></a> ...
 *     <figure class="viewer-stage"><img class="viewer-image" alt=""><figcaption class="viewer-caption"></figcaption></figure>
 *     <button type="button" data-viewer-action="prev|next|zoom-in|zoom-out|fit|rotate">...</button> ...
 *   </section>
 * Without JavaScript the thumbnails stay plain links to the full images.
 * Keys (ignored while typing in a field): ArrowLeft/PageUp previous, ArrowRight/PageDown next,
 * + and - zoom, 0 fit to the width, r rotate a quarter turn clockwise.
 */
(function () {
  "use strict";

  var ZOOM_STEP = 1.25;
  var MIN_SCALE = 0.05;
  var MAX_SCALE = 8;
  var viewers = [];
  var active = null;

  function isTyping(target) {
    if (!target || target.nodeType !== 1) {
      return false;
    }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function Viewer(root) {
    this.root = root;
    this.thumbs = Array.prototype.slice.call(root.querySelectorAll("a.viewer-thumb"));
    this.stage = root.querySelector(".viewer-stage");
    this.image = root.querySelector(".viewer-image");
    this.caption = root.querySelector(".viewer-caption");
    this.buttons = Array.prototype.slice.call(root.querySelectorAll("[data-viewer-action]"));
    this.index = -1;
    this.scale = 1;
    this.fit = true;
    this.quarters = 0;
  }

  Viewer.prototype.start = function () {
    var self = this;
    if (!this.stage || !this.image) {
      return false;
    }
    this.root.classList.add("viewer-ready");
    if (this.caption) {
      this.caption.setAttribute("aria-live", "polite");
    }
    this.thumbs.forEach(function (thumb, index) {
      thumb.addEventListener("click", function (event) {
        // Ctrl/Shift/middle click keep the link's own meaning (a new tab or window).
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return;
        }
        event.preventDefault();
        active = self;
        self.show(index);
      });
    });
    this.buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        active = self;
        self.act(button.getAttribute("data-viewer-action"));
      });
    });
    this.root.addEventListener("focusin", function () {
      active = self;
    });
    this.image.addEventListener("load", function () {
      self.layout();
    });
    if (this.thumbs.length === 0) {
      this.setCaption("Tidak ada halaman.");
      this.updateButtons();
      return true;
    }
    this.show(0);
    return true;
  };

  Viewer.prototype.setCaption = function (text) {
    if (this.caption) {
      this.caption.textContent = text;
    }
  };

  Viewer.prototype.fullUrl = function (index) {
    var thumb = this.thumbs[index];
    return thumb.getAttribute("data-full") || thumb.getAttribute("href");
  };

  Viewer.prototype.show = function (index) {
    var count = this.thumbs.length;
    if (count === 0) {
      return;
    }
    index = Math.max(0, Math.min(count - 1, index));
    var thumb = this.thumbs[index];
    var label = thumb.getAttribute("data-label") || "";
    var where = "Halaman " + (index + 1) + " dari " + count;
    this.index = index;
    this.fit = true;
    this.quarters = 0;
    this.image.removeAttribute("style");
    this.image.alt = label || where;
    this.image.src = this.fullUrl(index);
    this.setCaption(label ? label + " \u2014 " + where : where);
    this.thumbs.forEach(function (other, position) {
      if (position === index) {
        other.setAttribute("aria-current", "page");
        other.classList.add("is-current");
      } else {
        other.removeAttribute("aria-current");
        other.classList.remove("is-current");
      }
    });
    this.updateButtons();
    if (this.image.complete && this.image.naturalWidth) {
      this.layout();
    }
    if (index + 1 < count) {
      new Image().src = this.fullUrl(index + 1); // fetched ahead: the next page shows at once
    }
  };

  Viewer.prototype.updateButtons = function () {
    var self = this;
    var count = this.thumbs.length;
    this.buttons.forEach(function (button) {
      var action = button.getAttribute("data-viewer-action");
      var off = count === 0;
      if (action === "prev") {
        off = off || self.index <= 0;
      } else if (action === "next") {
        off = off || self.index >= count - 1;
      }
      button.disabled = off;
    });
  };

  Viewer.prototype.fitScale = function () {
    var natural = this.natural();
    var across = this.quarters % 2 ? natural.height : natural.width;
    var style = window.getComputedStyle(this.stage);
    var room = this.stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (!across || room <= 0) {
      return 1;
    }
    return Math.max(MIN_SCALE, room / across);
  };

  Viewer.prototype.natural = function () {
    return { width: this.image.naturalWidth, height: this.image.naturalHeight };
  };

  /* Size the image and turn it; margins make its box the size of what is seen, so the stage scrolls right. */
  Viewer.prototype.layout = function () {
    var natural = this.natural();
    if (!natural.width || !natural.height) {
      return;
    }
    if (this.fit) {
      this.scale = this.fitScale();
    }
    var width = natural.width * this.scale;
    var height = natural.height * this.scale;
    var turn = this.quarters * 90;
    var shift = ["", "translateX(" + height + "px) ", "translate(" + width + "px, " + height + "px) ",
      "translateY(" + width + "px) "][this.quarters];
    var style = this.image.style;
    style.width = width + "px";
    style.height = height + "px";
    style.maxWidth = "none";
    style.transformOrigin = "0 0";
    style.transform = turn ? shift + "rotate(" + turn + "deg)" : "";
    var sideways = this.quarters % 2 === 1;
    style.marginRight = sideways ? height - width + "px" : "";
    style.marginBottom = sideways ? width - height + "px" : "";
    this.root.setAttribute("data-zoom", String(Math.round(this.scale * 100)));
    this.root.setAttribute("data-rotation", String(turn));
  };

  Viewer.prototype.zoom = function (factor) {
    if (!this.image.naturalWidth) {
      return;
    }
    this.scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, this.scale * factor));
    this.fit = false;
    this.layout();
  };

  Viewer.prototype.act = function (action) {
    switch (action) {
      case "prev":
        this.show(this.index - 1);
        break;
      case "next":
        this.show(this.index + 1);
        break;
      case "zoom-in":
        this.zoom(ZOOM_STEP);
        break;
      case "zoom-out":
        this.zoom(1 / ZOOM_STEP);
        break;
      case "fit":
        this.fit = true;
        this.layout();
        break;
      case "rotate":
        this.quarters = (this.quarters + 1) % 4;
        this.layout();
        break;
      default:
        return false;
    }
    return true;
  };

  var KEYS = {
    ArrowLeft: "prev",
    PageUp: "prev",
    ArrowRight: "next",
    PageDown: "next",
    "+": "zoom-in",
    "=": "zoom-in", // the + key without Shift on many layouts
    "-": "zoom-out",
    "0": "fit",
    r: "rotate",
    R: "rotate",
  };

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return; // Ctrl + and Ctrl - stay the browser's zoom
    }
    if (isTyping(event.target) || isTyping(document.activeElement)) {
      return;
    }
    var action = KEYS[event.key];
    var viewer = active || viewers[0];
    if (!action || !viewer) {
      return;
    }
    if (viewer.act(action)) {
      event.preventDefault();
    }
  }

  function relayout() {
    viewers.forEach(function (viewer) {
      if (viewer.fit) {
        viewer.layout();
      }
    });
  }

  function start() {
    var roots = document.querySelectorAll("[data-viewer]");
    Array.prototype.forEach.call(roots, function (root) {
      var viewer = new Viewer(root);
      if (viewer.start()) {
        viewers.push(viewer);
      }
    });
    if (viewers.length) {
      document.addEventListener("keydown", onKey);
      window.addEventListener("resize", relayout);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
