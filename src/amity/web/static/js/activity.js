// Fills each [data-activity-src] section with its server-rendered fragment (the link stays
// as the fallback when scripts are off or the request fails).
document.querySelectorAll("[data-activity-src]").forEach((section) => {
  fetch(section.dataset.activitySrc, { headers: { Accept: "text/html" } })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      section.innerHTML = html;
      section.dataset.loaded = "true";
    })
    .catch(() => {
      section.dataset.loaded = "failed";
    });
});
