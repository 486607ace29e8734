// Starts GOV.UK Frontend and MoJ Frontend components on every page.
// Loaded as <script type="module">, so it only runs in browsers GOV.UK Frontend supports;
// every page still works without JavaScript.
import { initAll as initGovukFrontend } from "./govuk-frontend.mjs";
import { initAll as initMojFrontend } from "./moj-frontend.mjs";

initGovukFrontend();
initMojFrontend();
