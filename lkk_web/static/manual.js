// Manual entry (docs/spec.md §6). Nothing here is needed: every step is a plain form with its
// own «Выбрать», and the focus is placed by `autofocus` in the page. The script only makes the
// keyboard quicker and guards against a double send.

// The page's `autofocus` at once, while the page is read, rather than at the browser's next
// rendering: a key pressed right after the page appears already goes to the right place.
(function () {
  var first = document.querySelector("[autofocus]");
  if (first && document.activeElement !== first) {
    first.focus();
  }
})();

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

// «К показаниям» and a refusal's reasons move the focus to their field, even when the address
// already ends in that field's #id.
document.querySelectorAll("a.skip, #entry-errors a").forEach(function (link) {
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
