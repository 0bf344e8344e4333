// Small progressive enhancements; every page works without this file.

// Notes: a live character counter under each box with a limit ("120 of 2000 characters"). It is
// not read out while typing; only near the limit (the last tenth) does a polite live region say
// how many are left. Without this file the help text still says the limit.
(function () {
  "use strict";
  document.querySelectorAll("textarea[maxlength][data-counter]").forEach(function (box) {
    var limit = parseInt(box.getAttribute("maxlength"), 10);
    if (!limit) return;
    var near = Math.max(20, Math.floor(limit / 10));
    var shown = document.createElement("div");
    shown.className = "form-text notes-counter";
    shown.setAttribute("data-notes-counter", "");
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    spoken.setAttribute("data-notes-left", "");
    box.insertAdjacentElement("afterend", spoken);
    box.insertAdjacentElement("afterend", shown);
    var said = "";
    function update() {
      var count = box.value.length;
      var left = Math.max(0, limit - count);
      shown.textContent = box.getAttribute("data-counter").replace("{count}", count);
      shown.classList.toggle("text-danger", left <= near);
      var words = left <= near ? box.getAttribute("data-counter-left").replace("{left}", left) : "";
      if (words !== said) {
        said = words;
        spoken.textContent = words;
      }
    }
    box.addEventListener("input", update);
    update();
  });
})();
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = ""; }
  if (!zone) { return; }
  // Browsers report some zones by ICU's old names (Chromium: "Europe/Kiev"); use the current IANA name.
  var renamed = {
    "Europe/Kiev": "Europe/Kyiv", "Europe/Uzhgorod": "Europe/Kyiv", "Europe/Zaporozhye": "Europe/Kyiv",
    "Asia/Calcutta": "Asia/Kolkata", "Asia/Katmandu": "Asia/Kathmandu", "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh", "Atlantic/Faeroe": "Atlantic/Faroe", "America/Godthab": "America/Nuuk",
    "Pacific/Enderbury": "Pacific/Kanton", "Pacific/Truk": "Pacific/Chuuk", "Pacific/Ponape": "Pacific/Pohnpei",
    "Africa/Asmera": "Africa/Asmara", "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Indianapolis": "America/Indiana/Indianapolis", "America/Louisville": "America/Kentucky/Louisville"
  };
  zone = renamed[zone] || zone;

  // Sign-up: send the device's time zone with the form.
  document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
    if (!input.value) { input.value = zone; }
  });

  // Profile: offer the device's zone when it differs from the saved one; never change it silently.
  var hint = document.querySelector(".browser-timezone-hint");
  var select = document.querySelector("select[data-browser-timezone-select]");
  if (hint && select && hint.dataset.current !== zone &&
      Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) {
    hint.querySelector(".browser-timezone-name").textContent = zone;
    hint.classList.remove("d-none");
    hint.querySelector(".use-browser-timezone").addEventListener("click", function () {
      select.value = zone;
      hint.classList.add("d-none");
    });
  }
})();

// The floating "Log a cramp" button steps aside while the page is scrolled down, so it never sits
// on the Edit button a thumb reaches for, and comes back on any scroll up, near the top and at the
// end (where the footer leaves room for it). Without this file it simply stays.
(function () {
  "use strict";
  var button = document.querySelector(".quick-log");
  if (!button) { return; }
  var last = window.scrollY;
  window.addEventListener("scroll", function () {
    var y = window.scrollY;
    var atEnd = y + window.innerHeight >= document.documentElement.scrollHeight - 2;
    if (y <= 80 || atEnd || y < last - 4) {
      button.classList.remove("quick-log-away");
    } else if (y > last + 4) {
      button.classList.add("quick-log-away");
    }
    last = y;
  }, { passive: true });
})();

// A new doctor's link is shown once, in a message: with this file, the address goes into a box
// of its own with a Copy button (selecting a long address on a phone is fiddly). Without it, the
// message shows the address as text.
(function () {
  "use strict";
  document.querySelectorAll("[data-share-link]").forEach(function (message) {
    var found = message.textContent.match(/https?:\/\/\S+/);
    if (!found) { return; }
    var address = found[0];
    message.textContent = message.textContent.replace(address, "").trim();
    var group = document.createElement("div");
    group.className = "input-group mt-2";
    var box = document.createElement("input");
    box.className = "form-control";
    box.readOnly = true;
    box.value = address;
    box.setAttribute("aria-label", message.getAttribute("data-link-label"));
    box.addEventListener("focus", function () { box.select(); });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary";
    button.textContent = message.getAttribute("data-copy");
    var said = document.createElement("div");
    said.className = "form-text";
    said.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      function copied() { said.textContent = message.getAttribute("data-copied"); }
      box.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(address).then(copied, function () {
          if (document.execCommand("copy")) { copied(); }
        });
      } else if (document.execCommand("copy")) {
        copied();
      }
    });
    group.appendChild(box);
    group.appendChild(button);
    message.appendChild(group);
    message.appendChild(said);
  });
})();
