// «Загрузка данных из файла»: selection helpers and the upload's progress. The page works
// without this script: rows are ticked one by one, «Выбрать все» is a checkbox, and the file
// is sent by the form itself.
document.querySelectorAll("details.house").forEach(function (house) {
  var bar = house.querySelector(".house-select");
  if (!bar) { return; }
  bar.hidden = false;
  bar.querySelectorAll("button[data-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var which = button.getAttribute("data-select");
      house.querySelectorAll("tbody tr").forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        box.checked = which === "all" || row.classList.contains(which);
      });
    });
  });
});

var form = document.getElementById("upload-form");
if (form && window.XMLHttpRequest && window.FormData) {
  form.addEventListener("submit", function (event) {
    var file = form.querySelector("input[type=file]");
    if (!file.files.length) { return; }  // the server says what is missing
    event.preventDefault();
    var progress = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    progress.hidden = false;
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        progress.value = Math.round(100 * e.loaded / e.total);
        status.textContent = "Передано " + progress.value + "%";
      }
    });
    request.upload.addEventListener("load", function () {
      progress.removeAttribute("value");
      status.textContent = "Файл передан, идет проверка строк…";
    });
    request.addEventListener("load", function () {
      var next = null;
      try { next = JSON.parse(request.responseText).next; } catch (e) { next = null; }
      window.location.href = next || form.action.replace(/upload$/, "file");
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      progress.hidden = true;
      status.textContent = "Связь прервалась. Повторите загрузку.";
    });
    request.send(new FormData(form));
  });
}
