// Progressive enhancement only: every page works without this file.
import { initAll } from "../govuk/govuk-frontend.min.js";
import "./shelf.js";
import "./compare.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// On a phone the results come first and the filter panel folds, unless a filter
// has an error to show.
if (window.matchMedia("(max-width: 40.0525em)").matches) {
  for (const panel of document.querySelectorAll(".app-filter-panel")) {
    if (!panel.querySelector(".govuk-form-group--error")) panel.open = false;
  }
}
