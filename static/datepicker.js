// Date fields (ThaiDateField renders data-datepicker="be" on Thai pages, "ce" on English ones) get
// a button that opens a calendar under the field, drawn by cally's <calendar-date> (vendor/cally.js):
// on Thai pages with Thai months and the Buddhist Era (CE + 543) in its heading and year list, on
// English pages in the Common Era. The field stays typeable; a picked day is written into it as
// dd/mm/yyyy in the page's era, which is what the server parses (ethics/core/fiscal.py parse_date).
(() => {
  const BE_OFFSET = 543;
  const BE_YEARS_FROM = 2400; // as the server: a year this high is Buddhist Era
  const closers = new WeakMap(); // popup -> its close function, for clicks elsewhere on the page
  let count = 0;

  const pad = (number) => String(number).padStart(2, "0");

  function element(name, attributes = {}, children = []) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    node.append(...children);
    return node;
  }

  // "30/11/2569" on a Thai page, "30/11/2026" (or 2569) on an English one, or "2026-11-30":
  // the day as YYYY-MM-DD, or "" when the text is no such day (the server then says why).
  function toIso(text, offset) {
    const typed = text.trim().replace(/[๐-๙]/g, (digit) => String(digit.charCodeAt(0) - 0x0e50));
    let day, month, year;
    let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(typed);
    if (match) {
      [day, month, year] = match.slice(1).map(Number);
      if (year >= BE_YEARS_FROM) year -= BE_OFFSET;
      else if (offset) return "";
    } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed))) {
      [year, month, day] = match.slice(1).map(Number);
      if (year >= BE_YEARS_FROM) return "";
    } else {
      return "";
    }
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return "";
    return `${year}-${pad(month)}-${pad(day)}`;
  }

  function fromIso(iso, offset) {
    const [year, month, day] = iso.split("-");
    return `${day}/${month}/${Number(year) + offset}`;
  }

  function todayIso() {
    const now = new Date();
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  // A slot's text for screen readers, with a visible arrow.
  function labelled(slot, arrow, label) {
    return element("span", { slot }, [element("span", { "aria-hidden": "true" }, [arrow]),
      element("span", { class: "datepicker-label" }, [label])]);
  }

  function enhance(input) {
    const wrapper = input.parentElement; // <div class="datepicker">, rendered with the field
    if (!wrapper.classList.contains("datepicker") || wrapper.querySelector(".datepicker-toggle")) return;
    const data = input.dataset;
    const offset = data.datepicker === "be" ? BE_OFFSET : 0;
    const id = `datepicker-${++count}`;
    const toggle = element("button", {
      type: "button", class: "datepicker-toggle secondary outline", "aria-label": data.datepickerOpen,
      "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": id,
    });
    wrapper.append(toggle);
    let popup, calendar, years; // drawn at the first opening

    function draw() {
      const minYear = Number(data.datepickerMin.slice(0, 4));
      const maxYear = Number(data.datepickerMax.slice(0, 4));
      years = element("select", { slot: "heading", class: "datepicker-year", "aria-label": data.datepickerYear });
      for (let year = minYear; year <= maxYear; year++) {
        years.append(element("option", { value: String(year) }, [String(year + offset)]));
      }
      calendar = element("calendar-date", {
        locale: offset ? "th" : "en-GB", "first-day-of-week": offset ? "0" : "1",
        min: data.datepickerMin, max: data.datepickerMax,
      }, [labelled("previous", "‹", data.datepickerPrevious), years, labelled("next", "›", data.datepickerNext),
        element("calendar-month")]);
      popup = element("div", { id, class: "datepicker-popup", role: "dialog", "aria-label": data.datepickerCalendar },
        [calendar]);
      wrapper.append(popup);
      closers.set(popup, close);

      calendar.addEventListener("change", (event) => {
        if (event.target !== calendar) return; // the year list's own change bubbles through it
        input.value = fromIso(calendar.value, offset);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        close(input);
      });
      calendar.addEventListener("focusday", () => {
        years.value = calendar.focusedDate.slice(0, 4);
      });
      years.addEventListener("change", () => {
        const [, month, day] = calendar.focusedDate.split("-");
        // 29 February stays in its month in a year without one
        calendar.focusedDate = `${years.value}-${month}-${month === "02" && day === "29" ? "28" : day}`;
      });
      popup.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          close(toggle);
        }
      });
    }

    function show(iso) {
      calendar.value = iso;
      calendar.focusedDate = iso || todayIso();
      years.value = calendar.focusedDate.slice(0, 4);
    }

    function open() {
      if (!popup) draw();
      show(toIso(input.value, offset));
      popup.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      popup.classList.remove("datepicker-popup-end");
      if (popup.getBoundingClientRect().right > document.documentElement.clientWidth) {
        popup.classList.add("datepicker-popup-end");
      }
      // cally draws the month after this task: focus its chosen (or today's) day once it has.
      setTimeout(() => calendar.focus());
    }

    function close(focusTo) {
      if (!popup || popup.hidden) return;
      popup.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      if (focusTo) focusTo.focus();
    }

    toggle.addEventListener("click", () => (popup && !popup.hidden ? close(input) : open()));
    input.addEventListener("keydown", (event) => {
      if (event.altKey && event.key === "ArrowDown") {
        event.preventDefault();
        open();
      }
    });
    input.addEventListener("input", () => {
      const iso = toIso(input.value, offset);
      if (iso && popup && !popup.hidden) show(iso);
    });
    wrapper.addEventListener("focusout", (event) => {
      if (event.relatedTarget && !wrapper.contains(event.relatedTarget)) close(null);
    });
  }

  function enhanceWithin(root) {
    if (root.matches && root.matches("input[data-datepicker]")) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll("input[data-datepicker]").forEach(enhance);
  }

  document.addEventListener("pointerdown", (event) => {
    for (const popup of document.querySelectorAll(".datepicker-popup:not([hidden])")) {
      if (!popup.parentElement.contains(event.target)) closers.get(popup)(null);
    }
  });
  document.addEventListener("htmx:load", (event) => enhanceWithin(event.target));
  enhanceWithin(document);
})();
