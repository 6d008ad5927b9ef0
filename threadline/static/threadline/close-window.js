// The widget's sign-in window (templates/threadline/oidc_handoff.html): the widget has
// what it needs, so the window closes itself after a moment to read its message.
setTimeout(() => window.close(), 1500);
