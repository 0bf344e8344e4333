// Tonight's routine: a guided timer for each exercise. The page works as a plain list without it.
//
// Each exercise lists its timed steps (holds, rests, the switch of legs) in .timer-steps, made on
// the server from prevention/plan/routine.py. The timer walks through them: at each change a
// short beep and a vibration where the device allows, and the cue is said once in the page's
// live region ([data-routine-live]); the countdown beside it is not read out (aria-hidden).
// Pause/Resume and Stop; only one timer runs at a time (starting one stops the other).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var live = document.querySelector("[data-routine-live]");
  var audio = null;
  var active = null; // the one timer running or paused

  function say(text) {
    if (live) live.textContent = text;
  }

  // A short tone (WebAudio) and a buzz; silence where the device has neither.
  function signal(kind) {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (Context && !audio) audio = new Context();
      if (audio) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.frequency.value = kind === "done" ? 660 : kind === "switch" ? 520 : 880;
        gain.gain.value = 0.15;
        tone.connect(gain);
        gain.connect(audio.destination);
        tone.start();
        tone.stop(audio.currentTime + (kind === "done" ? 0.4 : 0.15));
      }
    } catch (e) { /* no sound: the cue is still shown and said */ }
    if (navigator.vibrate) navigator.vibrate(kind === "done" ? [150, 100, 150] : 150);
  }

  function Timer(item) {
    var box = item.querySelector("[data-timer]");
    this.item = item;
    this.box = box;
    this.start = box.querySelector(".timer-start");
    this.pause = box.querySelector(".timer-pause");
    this.stopButton = box.querySelector(".timer-stop");
    this.now = box.querySelector(".timer-now");
    this.cue = box.querySelector(".timer-cue");
    this.left = box.querySelector(".timer-left");
    this.label = this.left.getAttribute("data-label");
    this.steps = Array.prototype.map.call(box.querySelectorAll(".timer-steps li"), function (li) {
      return { text: li.textContent.trim(), kind: li.getAttribute("data-kind"), ms: parseInt(li.getAttribute("data-seconds"), 10) * 1000 };
    });
    this.handle = null;
    this.index = -1;
    this.endsAt = 0;
    this.remaining = 0;
    box.classList.remove("d-none");
    var self = this;
    this.start.addEventListener("click", function () { self.begin(); });
    this.pause.addEventListener("click", function () {
      if (self.handle) self.hold(); else self.resume();
    });
    this.stopButton.addEventListener("click", function () { self.stop(true); });
  }

  // Scrolling moves at once for people who asked their system for less motion.
  function scrollBehaviour() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  }

  // A button that hides itself hands the keyboard's focus on, rather than dropping it to the page.
  Timer.prototype.handFocus = function (to) {
    if (this.box.contains(document.activeElement) || document.activeElement === document.body) to.focus({ preventScroll: true });
  };

  Timer.prototype.begin = function () {
    if (active && active !== this) active.stop(false);
    this.stop(false);
    active = this;
    this.item.classList.remove("exercise-finished");
    this.item.classList.add("exercise-active");
    this.start.hidden = true;
    this.pause.hidden = false;
    this.stopButton.hidden = false;
    this.now.hidden = false;
    this.pause.textContent = this.pause.getAttribute("data-pause");
    this.index = 0;
    this.endsAt = Date.now() + this.steps[0].ms;
    this.enter();
    this.run();
    this.handFocus(this.pause);
    // The cue and the countdown are below the button: bring them on screen, whole.
    if (this.box.scrollIntoView) this.box.scrollIntoView({ behavior: scrollBehaviour(), block: "nearest" });
  };

  Timer.prototype.run = function () {
    var self = this;
    this.handle = setInterval(function () { self.tick(); }, 200);
    this.show();
  };

  // A new step: shown, said once, signalled.
  Timer.prototype.enter = function () {
    var step = this.steps[this.index];
    this.cue.textContent = step.text;
    say(step.text);
    signal(step.kind);
  };

  Timer.prototype.tick = function () {
    var now = Date.now();
    while (now >= this.endsAt) {
      this.index += 1;
      if (this.index >= this.steps.length) {
        this.finish();
        return;
      }
      this.endsAt += this.steps[this.index].ms;
      this.enter();
    }
    this.show();
  };

  Timer.prototype.show = function () {
    var ms = this.handle ? this.endsAt - Date.now() : this.remaining;
    this.left.textContent = Math.max(0, Math.ceil(ms / 1000)) + " " + this.label;
  };

  Timer.prototype.hold = function () {
    this.remaining = this.endsAt - Date.now();
    clearInterval(this.handle);
    this.handle = null;
    this.pause.textContent = this.pause.getAttribute("data-resume");
    this.show();
    say(this.box.getAttribute("data-cue-paused"));
  };

  Timer.prototype.resume = function () {
    this.endsAt = Date.now() + this.remaining;
    this.pause.textContent = this.pause.getAttribute("data-pause");
    say(this.steps[this.index].text);
    this.run();
  };

  // Back to the start; `spoken`: the person pressed Stop (not another timer starting).
  Timer.prototype.stop = function (spoken) {
    if (this.handle) clearInterval(this.handle);
    this.handle = null;
    this.index = -1;
    this.item.classList.remove("exercise-active");
    this.start.hidden = false;
    this.pause.hidden = true;
    this.stopButton.hidden = true;
    this.now.hidden = true;
    this.cue.textContent = "";
    this.left.textContent = "";
    if (active === this) active = null;
    if (spoken) say(this.box.getAttribute("data-cue-stopped"));
    if (spoken) this.handFocus(this.start);
  };

  Timer.prototype.finish = function () {
    var done = this.box.getAttribute("data-cue-done");
    this.stop(false);
    this.item.classList.add("exercise-finished");
    this.now.hidden = false;
    this.cue.textContent = done;
    this.left.textContent = "✓";
    say(done);
    signal("done");
    var next = this.item.nextElementSibling;
    this.handFocus(this.start);
    if (next && next.scrollIntoView) next.scrollIntoView({ behavior: scrollBehaviour(), block: "start" });
  };

  document.querySelectorAll("[data-exercise]").forEach(function (item) {
    if (item.querySelector("[data-timer] .timer-steps li")) new Timer(item);
  });
})();
