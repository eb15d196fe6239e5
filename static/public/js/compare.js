// "Add to comparison" without leaving the page. Without this script the button
// posts the form and the server sends the officer back with a message, so it
// works the same; this only saves the reload and says so beside the button.
// Listening on the document keeps working after the list is redrawn in place.

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("app-compare-add") || !window.fetch) return;
  event.preventDefault();
  let answer;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    answer = await response.json();
  } catch {
    form.submit(); // let the server say what went wrong, as without the script
    return;
  }
  let status = form.querySelector(".app-compare-add__status");
  if (!status) {
    status = document.createElement("p");
    status.className = "govuk-body-s app-compare-add__status";
    status.setAttribute("role", "status");
    form.append(status);
  }
  const link = document.createElement("a");
  link.className = "govuk-link";
  link.href = answer.selection;
  link.textContent = "See your comparison";
  status.replaceChildren(`${answer.message} `, link, ".");
});
