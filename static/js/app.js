// Small progressive enhancements; every page works without this file.
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
