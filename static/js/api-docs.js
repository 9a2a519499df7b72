"use strict";

// Starts Swagger UI on the element that names the schema. A file rather than an inline script, so the
// page works under the site's Content-Security-Policy (script-src 'self').
(function () {
  const root = document.getElementById("swagger-ui");
  const csrfHeader = root.dataset.csrfHeader;
  const csrfToken = root.dataset.csrfToken;

  // "Try it out" runs with the reader's session: Django asks unsafe methods for the CSRF token.
  const requestInterceptor = (request) => {
    if (!["GET", "HEAD", "OPTIONS", undefined].includes(request.method)) {
      request.headers[csrfHeader] = csrfToken;
    }
    return request;
  };

  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    requestInterceptor,
  });
})();
