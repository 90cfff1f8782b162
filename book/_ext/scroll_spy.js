/* The "on this page" table of contents follows the reader's place, without laying out the page.
 *
 * The theme has Bootstrap's ScrollSpy do this (data-bs-spy on <body>). When the page loads,
 * ScrollSpy checks that every section the table lists is visible, which makes the browser lay
 * out the whole chapter at once: 1.7 s of a phone's CPU on chapter 4, and it undoes the sections'
 * content-visibility (perf.css). book/_ext/course_perf.py removes data-bs-spy from every page and
 * appends this script to the site's copy of the theme's script. As ScrollSpy did, it marks as
 * active the link of the last section, in page order, that reaches into the top 40 % of the
 * screen, and the links of the sections that contain it, then sends the "activate.bs.scrollspy"
 * event that the theme listens to.
 */
(function () {
  "use strict";
  function start() {
    var nav = document.querySelector(".bd-toc-nav");
    if (!nav || !("IntersectionObserver" in window)) return;
    var links = [], sections = [];
    nav.querySelectorAll("a[href^='#']").forEach(function (link) {
      var section = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (section) { links.push(link); sections.push(section); }
    });
    var inView = new Set();
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) inView.add(entry.target); else inView.delete(entry.target);
      });
      var last = -1;
      sections.forEach(function (section, i) { if (inView.has(section)) last = i; });
      if (last < 0) return;  // between sections: keep the last one marked
      links.forEach(function (link) { link.classList.remove("active"); });
      for (var item = links[last]; item && nav.contains(item); item = item.parentElement) {
        if (item.tagName === "LI") {  // this entry, and the entries of the sections around it
          var link = item.querySelector(":scope > a");
          if (link) link.classList.add("active");
        }
      }
      window.dispatchEvent(new Event("activate.bs.scrollspy"));
    }, { rootMargin: "0px 0px -60% 0px" });
    sections.forEach(function (section) { observer.observe(section); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
