// Runs before the first paint (classic script, no bundling): applies the saved theme and
// language direction so the page does not flash light-then-dark or LTR-then-RTL.
// Keys and values must match renderer/lib/settings-storage.ts and theme.svelte.ts.
/* global window, document */
(function () {
  var root = document.documentElement;
  var theme = null;
  var locale = null;
  try {
    theme = window.localStorage.getItem('microgrid-station.theme');
    locale = window.localStorage.getItem('microgrid-station.locale');
  } catch {
    // Storage disabled: defaults below.
  }
  if (theme !== 'light' && theme !== 'dark') {
    theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  root.dataset.theme = theme;
  if (locale !== 'en' && locale !== 'ar') {
    // Same rule as preferredLocale() in i18n/dictionaries.ts: first supported language.
    var languages = window.navigator.languages || [];
    locale = 'en';
    for (var i = 0; i < languages.length; i += 1) {
      var base = String(languages[i]).toLowerCase().split('-')[0];
      if (base === 'en' || base === 'ar') {
        locale = base;
        break;
      }
    }
  }
  root.lang = locale;
  root.dir = locale === 'ar' ? 'rtl' : 'ltr';
})();
