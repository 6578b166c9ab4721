// Starts the vendored Swagger UI on /api/docs (amity.http.api_docs). A file rather than an inline
// script, so the Content-Security-Policy needs no exception for it.
(function () {
  "use strict";

  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    displayOperationId: true,  // integrators call operations by these ids (docs/api.md)
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null  // the default would send the document to validator.swagger.io
  });
})();
