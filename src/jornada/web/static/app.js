// jornada: a little progressive enhancement. Every page works without it.
"use strict";

(function () {
  const csrf = () => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };

  // Sortable tables: click a column heading to sort by it (numbers as numbers).
  function sortTable(table, column, th) {
    const body = table.tBodies[0];
    if (!body) return;
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    const key = (row) => {
      const cell = row.cells[column];
      if (!cell) return "";
      const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
      const number = Number(raw);
      return raw !== "" && !Number.isNaN(number) ? number : raw.toLowerCase();
    };
    const rows = Array.from(body.rows).filter((r) => !r.classList.contains("sub"));
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      if (typeof x === "number" && typeof y === "number") return ascending ? x - y : y - x;
      return ascending ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
    });
    rows.forEach((row) => body.appendChild(row));
    table.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("thead th").forEach((th, index) => {
      th.tabIndex = 0;
      th.classList.add("sort-head");
      th.addEventListener("click", () => sortTable(table, index, th));
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortTable(table, index, th);
        }
      });
    });
  });

  // A select that submits its form on change (the language switch).
  document.querySelectorAll("select.autosubmit").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll(".js-hide").forEach((el) => { el.hidden = true; });

  // Ask before deleting or restoring.
  document.querySelectorAll("form.confirm").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm || "?")) event.preventDefault();
    });
  });

  document.querySelectorAll("a.js-back").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });

  // Live lint while typing the raw map: debounced, results shown beside the editor.
  const list = document.getElementById("lint-list");
  const count = document.querySelector('[data-testid="lint-count"]');
  function showLint(items, problem) {
    if (!list) return;
    list.replaceChildren();
    if (problem) {
      const li = document.createElement("li");
      li.className = "sev-error";
      li.textContent = problem;
      list.appendChild(li);
      if (count) count.textContent = "!";
      return;
    }
    items.slice(0, 60).forEach((d) => {
      const li = document.createElement("li");
      li.className = "sev-" + d.severity;
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = d.code;
      const hint = document.createElement("small");
      hint.textContent = d.hint;
      li.append(code, " " + d.message, document.createElement("br"), hint);
      list.appendChild(li);
    });
    if (count) count.textContent = String(items.length);
  }

  document.querySelectorAll("textarea.live-lint").forEach((area) => {
    let timer = null;
    let sent = 0;
    area.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const mine = ++sent;
        try {
          const response = await fetch("/api/lint", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
            body: JSON.stringify({ text: area.value, format: "yaml" }),
          });
          const body = await response.json();
          if (mine !== sent) return;
          if (response.ok) showLint(body, null);
          else showLint([], body.error ? body.error.message : String(response.status));
        } catch (error) {
          /* offline: the lint results come back with the next save */
        }
      }, 600);
    });
  });
})();
