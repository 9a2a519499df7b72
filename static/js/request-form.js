/* The request form, one step at a time.

   The page holds every step as a fieldset; without this script it is one long form that works as it is.
   With it, one step shows at a time, with Back and Next (no page load) and the step list to jump between
   steps. After a refused save the page opens on the first step with an error. The same script makes the
   model lists searchable and says when one person is named for two owner roles. */
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function isEmpty(control) {
    if (control.getAttribute("role") === "radiogroup") {
      return !control.querySelector("input:checked");
    }
    return !String(control.value || "").trim();
  }

  function labelOf(control) {
    if (control.getAttribute("role") === "radiogroup") {
      var legend = control.querySelector("legend");
      return legend ? legend.firstChild.textContent.trim() : "";
    }
    var label = control.id && document.querySelector('label[for="' + control.id + '"]');
    return label ? label.textContent.trim() : control.name;
  }

  function setupSteps(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.form-step"));
    if (!steps.length) {
      return;
    }
    var links = form.querySelectorAll("[data-step-link]");
    form.classList.add("is-stepped");
    each(form.querySelectorAll(".step-nav"), function (nav) {
      nav.hidden = false;
    });

    function indexOf(id) {
      for (var i = 0; i < steps.length; i++) {
        if (steps[i].id === id) {
          return i;
        }
      }
      return -1;
    }

    function show(index, focus) {
      steps.forEach(function (step, i) {
        step.hidden = i !== index;
      });
      each(links, function (link) {
        if (link.getAttribute("data-step-link") === steps[index].id) {
          link.setAttribute("aria-current", "step");
        } else {
          link.removeAttribute("aria-current");
        }
      });
      if (focus) {
        steps[index].querySelector("h2").focus();
      }
    }

    function current() {
      for (var i = 0; i < steps.length; i++) {
        if (!steps[i].hidden) {
          return i;
        }
      }
      return 0;
    }

    each(links, function (link) {
      link.addEventListener("click", function (event) {
        var index = indexOf(link.getAttribute("data-step-link"));
        if (index >= 0) {
          event.preventDefault();
          show(index, true);
        }
      });
    });
    steps.forEach(function (step, index) {
      var message = step.querySelector("[data-step-message]");
      var next = step.querySelector("[data-step-next]");
      var back = step.querySelector("[data-step-back]");
      if (next) {
        next.addEventListener("click", function () {
          var missing = [];
          each(step.querySelectorAll('[aria-required="true"]'), function (control) {
            if (isEmpty(control)) {
              missing.push(labelOf(control));
            }
          });
          if (missing.length) {
            message.textContent = "Still required on this step: " + missing.join(", ") + ".";
            message.hidden = false;
            return;
          }
          message.hidden = true;
          show(index + 1, true);
        });
      }
      if (back) {
        back.addEventListener("click", function () {
          show(index - 1, true);
        });
      }
    });

    // A link of the error summary opens the step holding its field, then moves focus to the field.
    each(form.querySelectorAll(".error-summary a[href^='#']"), function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        var step = target && target.closest("fieldset.form-step");
        if (!step) {
          return;
        }
        event.preventDefault();
        show(indexOf(step.id), false);
        var control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
        (control || target).focus();
      });
    });

    // A field named in the address (#step-audit, or a field's own id) opens its step.
    var start = indexOf(form.getAttribute("data-first-error") || "");
    if (start < 0 && window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      var step = target && target.closest("fieldset.form-step");
      start = step ? indexOf(step.id) : -1;
    }
    show(start < 0 ? 0 : start, false);
    return current;
  }

  function setupFilter(input) {
    var target = document.getElementById(input.getAttribute("data-filter-for"));
    if (!target) {
      return;
    }
    var count = document.getElementById(input.id + "-count");
    input.parentNode.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var total = 0;
      var items =
        target.tagName === "SELECT"
          ? Array.prototype.filter.call(target.options, function (option) {
              return option.value;
            })
          : Array.prototype.map.call(target.querySelectorAll("label"), function (label) {
              return label.parentNode;
            });
      items.forEach(function (item) {
        var text = item.textContent.toLowerCase();
        var chosen = item.selected || !!(item.querySelector && item.querySelector("input:checked"));
        var match =
          chosen ||
          words.every(function (word) {
            return text.indexOf(word) !== -1;
          });
        item.hidden = !match;
        total += 1;
        shown += match ? 1 : 0;
      });
      count.textContent = words.length ? shown + " of " + total + " models shown" : "";
    });
  }

  function setupOwners(form) {
    var warning = form.querySelector("[data-shared-owners]");
    var selects = ["business_owner", "technical_owner", "risk_owner"].map(function (name) {
      return form.querySelector('select[name="' + name + '"]');
    });
    if (!warning || selects.indexOf(null) !== -1) {
      return;
    }
    function check() {
      var chosen = selects
        .map(function (select) {
          return select.value;
        })
        .filter(Boolean);
      var distinct = chosen.filter(function (value, i) {
        return chosen.indexOf(value) === i;
      });
      var shared = distinct.length !== chosen.length;
      warning.hidden = !shared;
      if (reason) {
        // The reason is asked only when it is needed; one already written stays in view.
        reason.hidden = !shared && !reason.querySelector("textarea").value.trim() && !reason.querySelector(".error");
      }
    }
    var reason = form.querySelector("#owners_shared_reason");
    selects.forEach(function (select) {
      select.addEventListener("change", check);
    });
    check();
  }

  function start() {
    each(document.querySelectorAll("form[data-stepped-form]"), function (form) {
      setupSteps(form);
      setupOwners(form);
    });
    each(document.querySelectorAll("input[data-filter-for]"), setupFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
