// Tells the server the browser's time zone (the "tz" cookie, read by notes.middleware), so
// pages show times in local time. The first page seen without it is reloaded once.
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || document.cookie.split("; ").indexOf("tz=" + zone) >= 0) {
    return;
  }
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  if (!sessionStorage.getItem("tz-reloaded")) {
    sessionStorage.setItem("tz-reloaded", "1");
    location.reload();
  }
})();
