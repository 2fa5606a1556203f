// Keyboard review of verdicts. Keys are caught here and sent in order through one DotNetObjectReference: a Blazor
// @onkeydown handler gets a new id on every render, and keys pressed faster than the renders arrive were dropped.
window.weblabReview = {
  keys: ['j', 'k', 'a', 'd', 'u', 'ArrowDown', 'ArrowUp'],
  attach(el, dotnet) {
    el.addEventListener('keydown', e => {
      if (e.ctrlKey || e.altKey || e.metaKey || !this.keys.includes(e.key)) return;
      if (e.target.closest('textarea, input, [contenteditable]')) return;   // typing a comment
      e.preventDefault();
      dotnet.invokeMethodAsync('OnReviewKey', e.key);
    });
  },
};
