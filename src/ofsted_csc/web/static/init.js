// Starts GOV.UK Frontend's components on every page. A file, not an inline script: the
// Content-Security-Policy lets scripts run only from this site (ofsted_csc.web.app).
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
