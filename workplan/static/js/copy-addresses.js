// "Copy all e-mail addresses" on the directory: the button is hidden until this script runs,
// so that without JavaScript the read-only text area (select all, copy) is the way.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var area = document.getElementById(button.getAttribute("data-copy"));
  var status = button.parentNode.querySelector(".copy-status");
  if (!area) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    area.focus();
    area.select();
    var done = function () {
      if (status) {
        status.textContent = status.getAttribute("data-copied");
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });
});
