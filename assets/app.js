// Marks the page as scripted and starts the GOV.UK Frontend components. Loaded as a module so
// that no inline script is needed (the Content-Security-Policy forbids them).
document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
  // Pass on this file's ?v= so the library is fetched at the same version.
  const version = new URL(import.meta.url).search
  import('./govuk-frontend.min.js' + version).then(({ initAll }) => initAll())
}

// A question revealed under a radio (GOV.UK's conditional reveal) is shown and hidden here, not by
// GOV.UK Frontend, which marks the radios aria-expanded: an attribute a radio may not carry, so
// assistive technology is told nothing true by it. The server marks the unchosen ones hidden;
// without this script GOV.UK's styles show them all.
function syncReveals () {
  for (const input of document.querySelectorAll('input[type="radio"][data-reveals]')) {
    document.getElementById(input.dataset.reveals)?.classList.toggle('govuk-radios__conditional--hidden', !input.checked)
  }
}
document.addEventListener('change', (event) => {
  if (event.target instanceof HTMLInputElement && event.target.type === 'radio') syncReveals()
})
syncReveals()
