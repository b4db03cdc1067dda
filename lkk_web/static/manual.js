// Manual entry (docs/spec.md §6). Nothing here is needed: every step is a plain form with its
// own «Выбрать», and the focus is placed by `autofocus` in the page. The script only makes the
// keyboard quicker and guards against a double send.

// Enter on a list of the choice presses its «Выбрать» (arrows only move within the list; a
// change never submits by itself).
document.querySelectorAll("form.step select").forEach(function (select) {
  select.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      select.form.requestSubmit();
    }
  });
});

// «К показаниям» moves the focus to T1 even when the address already ends in #t1.
document.querySelectorAll("a.skip").forEach(function (link) {
  link.addEventListener("click", function (event) {
    var target = document.getElementById(link.hash.slice(1));
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });
});

// Send once: a double click must not send the reading twice. The buttons stay enabled while
// the form goes (a disabled button would not send its name: «Отправить и следующая квартира»
// is told apart by it); a second submit is ignored until the page is shown again.
document.querySelectorAll("form.entry").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "yes";
    form.setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", function () {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  });
});
