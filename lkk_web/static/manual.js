// Manual entry: a choice in the address or meter lists submits itself. Later choices depend on
// it, so they are left out of the request (disabled fields are not sent). The page works
// without this script through its «Выбрать» button.
document.querySelectorAll("form.cascade select").forEach(function (select) {
  select.addEventListener("change", function () {
    var later = false;
    select.form.querySelectorAll("select").forEach(function (other) {
      if (later) { other.disabled = true; }
      if (other === select) { later = true; }
    });
    select.form.submit();
  });
});

// «Отправить» once: a double click must not send the reading twice.
document.querySelectorAll("form.entry").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  });
});
