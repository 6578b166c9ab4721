// Fills each [data-activity-src] section with its server-rendered fragment (the link stays
// as the fallback when scripts are off or the request fails).
// While it loads, the section says so (a spinner, aria-busy).
document.querySelectorAll("[data-activity-src]").forEach((section) => {
  section.setAttribute("aria-busy", "true");
  fetch(section.dataset.activitySrc, { headers: { Accept: "text/html" } })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      section.innerHTML = html;
      section.dataset.loaded = "true";
    })
    .catch(() => {
      section.dataset.loaded = "failed";
    })
    .finally(() => section.removeAttribute("aria-busy"));
});
