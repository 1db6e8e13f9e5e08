// Asking before what cannot be undone, in place. A form holding a <dialog data-confirm-dialog>
// (templates/_confirm.html) opens it instead of sending; "confirm" sends the form with
// confirm=1, as the confirmation page would. Without this script, or without <dialog>, the form
// posts as it is and the server answers with that page: nothing depends on this file.
(function () {
  "use strict";
  if (window.plannerConfirm) return; // the macro may include this file more than once
  window.plannerConfirm = true;
  if (typeof HTMLDialogElement !== "function") return;

  // The dialog that applies to the form as it is filled in now, or null.
  function dialogFor(form) {
    var dialogs = form.querySelectorAll("dialog[data-confirm-dialog]");
    for (var i = 0; i < dialogs.length; i++) {
      var dialog = dialogs[i];
      var name = dialog.getAttribute("data-confirm-field");
      if (!name) return dialog;
      var field = form.elements.namedItem(name);
      var values = (dialog.getAttribute("data-confirm-values") || "").split(" ");
      if (field && values.indexOf(field.value) !== -1) return dialog;
    }
    return null;
  }

  function send(form, submitter) {
    var confirm = form.querySelector("input[name=confirm]");
    if (!confirm) {
      confirm = document.createElement("input");
      confirm.type = "hidden";
      confirm.name = "confirm";
      confirm.setAttribute("data-confirm-added", "");
      form.appendChild(confirm);
    }
    confirm.value = "1";
    if (form.requestSubmit) {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } else {
      form.submit();
    }
  }

  // Back to a page from the browser's cache: what was confirmed then is not confirmed now.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("input[data-confirm-added]").forEach(function (input) {
      input.remove();
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var confirm = form.querySelector("input[name=confirm]");
    if (confirm && confirm.value === "1") return; // confirmed: let it go
    var dialog = dialogFor(form);
    if (!dialog) return;
    event.preventDefault();
    var submitter = event.submitter;
    var yes = dialog.querySelector("[data-confirm-yes]");
    var back = dialog.querySelector("[data-confirm-back]");
    var onYes = function () {
      dialog.close();
      send(form, submitter);
    };
    var onBack = function () { dialog.close(); };
    var onClose = function () {
      yes.removeEventListener("click", onYes);
      back.removeEventListener("click", onBack);
      dialog.removeEventListener("close", onClose);
      if (submitter && submitter.focus) submitter.focus();
    };
    yes.addEventListener("click", onYes);
    back.addEventListener("click", onBack);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
  }, true);
})();
