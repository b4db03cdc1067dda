// «Загрузка данных из файла»: selection helpers, the live count of the selection and the
// upload's progress. The page works without this script (docs/spec.md §11): rows are ticked
// one by one, «Выбрать все» and a house's «Выбрать все»/«Сбросить все» are buttons the server
// answers, the count is the server's, and the file is sent by the form itself.
var bufferForm = document.getElementById("buffer-form");
var selectedCount = document.getElementById("selected-count");

function plural(n, one, few, many) {
  var tens = n % 100, ones = n % 10;
  if (ones === 1 && tens !== 11) { return one; }
  if (ones >= 2 && ones <= 4 && (tens < 12 || tens > 14)) { return few; }
  return many;
}

function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
}

// The server's count, changed by the rows ticked and unticked on this page since it came.
function updateCount() {
  if (!bufferForm || !selectedCount) { return; }
  var was = {};
  bufferForm.querySelectorAll("input[name=was]").forEach(function (input) { was[input.value] = true; });
  var n = parseInt(selectedCount.getAttribute("data-selected"), 10) || 0;
  bufferForm.querySelectorAll("input[name=row]").forEach(function (box) {
    if (box.checked && !was[box.value]) { n += 1; }
    if (!box.checked && was[box.value]) { n -= 1; }
  });
  selectedCount.textContent = n ? "Выбрано: " + grouped(n) + " " +
    plural(n, "строка", "строки", "строк") + " на всех страницах" : "";
}

// Rows ticked or unticked on this page since it came.
function changedOnScreen() {
  var was = {};
  bufferForm.querySelectorAll("input[name=was]").forEach(function (input) { was[input.value] = true; });
  return Array.prototype.some.call(bufferForm.querySelectorAll("input[name=row]"), function (box) {
    return box.checked !== !!was[box.value];
  });
}

if (bufferForm) {
  bufferForm.addEventListener("change", function (event) {
    if (event.target.name === "row") { updateCount(); }
  });
  // A house or a page followed with rows ticked here: the server keeps them in the selection
  // on the way (without this script the link carries the selection as it was).
  bufferForm.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-open]");
    if (!link || !changedOnScreen()) { return; }
    event.preventDefault();
    [["go_open", link.getAttribute("data-open")],
     ["go_page", link.getAttribute("data-page") || ""]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      bufferForm.appendChild(input);
    });
    bufferForm.action = bufferForm.getAttribute("data-select");
    bufferForm.submit();
  });
}

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
      updateCount();
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

// A message the page opens with takes the focus (`autofocus`, docs/spec.md §0). The browser skips
// `autofocus` when the address names a fragment (…#buffer after a delete), so it is placed here.
// Placed once the page has loaded and scrolled to its fragment, which would otherwise reset it.
window.addEventListener("load", function () {
  var first = document.querySelector(".flash[autofocus]");
  if (first && document.activeElement === document.body) {
    first.focus();
  }
});
