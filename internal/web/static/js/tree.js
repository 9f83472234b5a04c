// KTGS: the lazy organisation tree.
//
// A <details data-children="URL"> loads its children (an HTML fragment of
// <li> items) into its <ul> the first time it is opened. The listener sits
// on the document in the capture phase (toggle does not bubble), so it
// serves every details, including those a previous load has just
// inserted, however quickly the user opens them. htmx's own
// hx-trigger="toggle once" missed a details opened before htmx had
// processed freshly swapped content, leaving "…" for good.
document.addEventListener('toggle', function (e) {
  var d = e.target;
  if (!(d instanceof HTMLDetailsElement) || !d.open || !d.dataset.children || d.dataset.loaded) {
    return;
  }
  d.dataset.loaded = '1';
  var ul = d.querySelector(':scope > ul');
  htmx.ajax('GET', d.dataset.children, { target: ul, swap: 'innerHTML' }).catch(function () {
    delete d.dataset.loaded; // let the next opening try again
  });
}, true);
