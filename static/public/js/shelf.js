// Updates the case study list in place when a filter changes. Without this
// script the form submits normally, so every part of the page still works.

const form = document.querySelector("#shelf-form");

function queryFromForm() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (value !== "") params.append(name, value);
  }
  return params;
}

async function refresh({ moveFocus }) {
  const params = queryFromForm();
  const url = `${form.action}?${params}`;
  const response = await fetch(url, { headers: { "X-Partial": "shelf" } });
  if (!response.ok) {
    window.location.assign(url);
    return;
  }
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const results = fresh.querySelector("#shelf");
  document.querySelector("#shelf").replaceWith(results);
  // Counts beside each option change; the options themselves (and focus) stay.
  for (const count of fresh.querySelectorAll(".app-count[id]")) {
    const current = document.getElementById(count.id);
    if (current) current.textContent = count.textContent;
  }
  window.history.replaceState(null, "", url);
  const summary = results.querySelector("#result-count");
  document.querySelector("#shelf-announcer").textContent = summary ? summary.textContent.trim() : "";
  if (moveFocus && summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
}

if (form && window.fetch) {
  // The sort control sits beside the form, joined to it by its form attribute, so its
  // change does not bubble through the form: listen on the document instead.
  document.addEventListener("change", (event) => {
    const field = event.target;
    if (field.form === form && field.matches("input[type=checkbox], input[type=radio], select")) {
      refresh({ moveFocus: false });
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh({ moveFocus: true });
  });
}

// Council names as you type, from the register.
const datalist = document.querySelector("#council-options");
let pending;
for (const input of document.querySelectorAll("input[list=council-options]")) {
  input.addEventListener("input", () => {
    clearTimeout(pending);
    const typed = input.value.trim();
    if (typed.length < 2 || !datalist) return;
    pending = setTimeout(async () => {
      const response = await fetch(`/councils/autocomplete.json?q=${encodeURIComponent(typed)}`);
      if (!response.ok) return;
      const { councils } = await response.json();
      datalist.replaceChildren(
        ...councils.map((council) => {
          const option = document.createElement("option");
          option.value = council.name;
          if (council.replaced_by) option.label = `${council.name} (now ${council.replaced_by.join(" and ")})`;
          return option;
        }),
      );
    }, 150);
  });
}
