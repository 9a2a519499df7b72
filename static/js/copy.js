// A button with data-copy="<input id>" copies that input's value; without the clipboard API the value is
// selected, for the person to copy by hand.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  if (!input) return;
  input.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).then(() => { button.textContent = "Copied"; });
  }
});
