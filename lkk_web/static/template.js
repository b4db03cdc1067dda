// «Скачать шаблон файла» (docs/spec.md §9): a search over the addresses, «Выбрать все / Снять
// все», the count of what is chosen, and a status while the file is built. Without this script
// the whole list shows, the houses are ticked one by one and the form downloads by itself.
(function () {
  var dialog = document.getElementById("template");
  var form = document.getElementById("template-form");
  if (!dialog || !form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=house]"));
  var tools = form.querySelector(".house-tools");
  var search = document.getElementById("house-search");
  var found = document.getElementById("house-found");
  var chosen = document.getElementById("house-chosen");
  var selectAll = form.querySelector("button[data-houses=all]");
  var clearAll = form.querySelector("button[data-houses=none]");
  tools.hidden = false;

  function plural(n, one, few, many) {
    var t = n % 100, u = n % 10;
    if (u === 1 && t !== 11) { return one; }
    if (u >= 2 && u <= 4 && (t < 12 || t > 14)) { return few; }
    return many;
  }

  function shown() {
    return boxes.filter(function (box) { return !box.closest("li").hidden; });
  }

  function count() {
    var houses = 0, meters = 0;
    boxes.forEach(function (box) {
      if (box.checked) { houses += 1; meters += Number(box.getAttribute("data-meters")); }
    });
    chosen.textContent = houses
      ? "Выбрано: " + houses + " " + plural(houses, "дом", "дома", "домов") + ", " + meters +
        " " + plural(meters, "счетчик", "счетчика", "счетчиков")
      : "Не выбрано ни одного дома";
  }

  // Every word of the query is in the address; a number is a whole number of it, so that
  // «Вавилова 4» finds д. 4 and not д. 45.
  function matches(address, words) {
    return words.every(function (word) {
      if (/^\d+$/.test(word)) {
        return new RegExp("(^|\\D)" + word + "(\\D|$)").test(address);
      }
      return address.indexOf(word) !== -1;
    });
  }

  function normalize(text) { return text.toLowerCase().replace(/ё/g, "е"); }

  function filter() {
    var words = normalize(search.value).split(/[\s,]+/).filter(Boolean);
    var n = 0;
    boxes.forEach(function (box) {
      var item = box.closest("li");
      var address = normalize(item.querySelector(".address").textContent);
      item.hidden = !matches(address, words);
      if (!item.hidden) { n += 1; }
    });
    if (!words.length) {
      found.textContent = "";
      selectAll.textContent = selectAll.getAttribute("data-label-all");
    } else {
      found.textContent = n ? found.getAttribute("data-found").replace("{n}", n)
        .replace("{all}", boxes.length) : found.getAttribute("data-nothing");
      selectAll.textContent = selectAll.getAttribute("data-label-found") + " (" + n + ")";
    }
    selectAll.disabled = n === 0;
  }

  search.addEventListener("input", filter);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }  // Enter in the search is not «Выгрузить»
  });
  selectAll.addEventListener("click", function () {
    shown().forEach(function (box) { box.checked = true; });
    count();
  });
  clearAll.addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = false; });
    count();
  });
  form.addEventListener("change", count);
  count();

  var fromHouse = dialog.open;  // opened by the server: the house page's link
  if (location.hash === "#template") { dialog.open = true; }  // back from a refusal
  var ticked = boxes.filter(function (box) { return box.checked; });
  if (fromHouse && ticked.length) {
    // Came from a house's page: that house is in view and has the focus (once the page has
    // loaded: the browser's scroll to #template comes first).
    window.addEventListener("load", function () {
      ticked[0].focus({preventScroll: true});
      ticked[0].closest("li").scrollIntoView({block: "nearest"});
    });
  }

  // The download: fetch the file, keeping the page, with a status while it is built.
  var button = document.getElementById("template-submit");
  var status = document.getElementById("template-status");
  if (!window.fetch || !window.FormData || !window.URL || !URL.createObjectURL) { return; }

  function fileName(disposition) {
    var star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (star) {
      try { return decodeURIComponent(star[1]); } catch (e) { /* the plain name below */ }
    }
    var plain = /filename="?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1] : "template.xls";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function done(text) {
    form.removeAttribute("aria-busy");
    button.disabled = false;
    status.textContent = text;
    button.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) { return; }
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    status.textContent = status.getAttribute("data-busy");
    // The form's fields, its CSRF token among them; a refusal (a redirect) or any page other
    // than a file is shown by the plain form, as without this script.
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        redirect: "manual"})
      .then(function (response) {
        var disposition = response.headers.get("Content-Disposition") || "";
        if (!response.ok || disposition.indexOf("attachment") === -1) {
          form.submit();
          return null;
        }
        return response.blob().then(function (blob) {
          var name = fileName(disposition);
          save(blob, name);
          done(status.getAttribute("data-done").replace("{name}", name));
        });
      })
      .catch(function () { done(status.getAttribute("data-failed")); });
  });
}());
