// Progressive enhancement only: every page works without this file.
import { initAll } from "../govuk/govuk-frontend.min.js";
import "./shelf.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
