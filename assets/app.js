// Marks the page as scripted and starts the GOV.UK Frontend components. Loaded as a module so
// that no inline script is needed (the Content-Security-Policy forbids them).
document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
  // Pass on this file's ?v= so the library is fetched at the same version.
  const version = new URL(import.meta.url).search
  import('./govuk-frontend.min.js' + version).then(({ initAll }) => initAll())
}
