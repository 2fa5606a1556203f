// Keyboard review for the Evaluation tab's verdict browser: j/k (or arrows) move, a/d/u review and move on.
// Keys typed into the comment box are text, not commands. The reviewer's name is typed once and kept in this browser.
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
  reviewer() { return localStorage.getItem('weblab.reviewer') || ''; },
  setReviewer(name) { localStorage.setItem('weblab.reviewer', name || ''); },
};
