// Messages to the user: errors from the server, or from the page itself, shown in the page.
const region = () => document.getElementById("xp-status");

export function showError(message) {
  const el = region();
  el.hidden = false;
  el.className = "xp-status xp-error";
  el.textContent = message;
}

export function showInfo(message) {
  const el = region();
  el.hidden = !message;
  el.className = "xp-status";
  el.textContent = message || "";
}

export function clearStatus() { showInfo(""); }

/** Whether the message shown now is an error. */
export function showingError() {
  const el = region();
  return !el.hidden && el.classList.contains("xp-error");
}

/** Anything unexpected becomes a message in the page, never a blank screen. */
export function installGlobalHandlers() {
  window.addEventListener("error", (event) => showError(`Something went wrong: ${event.message}`));
  window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    showError(reason && reason.message ? reason.message : String(reason));
    event.preventDefault();
  });
}
