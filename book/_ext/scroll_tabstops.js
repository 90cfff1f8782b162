/* Keyboard access to code and outputs that scroll, measured lazily (issue 18).
 *
 * pydata-sphinx-theme measures every code block and notebook output when the page has loaded
 * and gives each one that scrolls tabIndex 0 (others -1), so that a keyboard can reach and
 * scroll it. Measuring them all forces the browser to lay out the whole page at once, a second
 * of a phone's CPU on a long chapter, and undoes the sections' content-visibility (perf.css).
 * book/_ext/course_perf.py puts this function in place of the theme's in the site's copy of
 * the theme's script. It does the same job per element, once the element comes within 2000 px
 * of the screen, and again whenever its size changes. Until then the element keeps the
 * tabindex="0" it was given in the HTML at build time, so a scrolling box is never out of reach.
 */
function () {
  var selector = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon";
  var update = function (element) {
    var scrolls = element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight;
    element.tabIndex = scrolls ? 0 : -1;
  };
  if (!("IntersectionObserver" in window && "ResizeObserver" in window)) return;
  var sizes = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { update(entry.target); });
  });
  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      near.unobserve(entry.target);
      sizes.observe(entry.target);  // calls update now, and after every resize
    });
  }, { rootMargin: "2000px 0px" });
  document.querySelectorAll(selector).forEach(function (element) { near.observe(element); });
}
