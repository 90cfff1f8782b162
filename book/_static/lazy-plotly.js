/* Load plotly.js only when an interactive figure comes near the screen.
 *
 * book/_ext/course_html.py inlines this script in the <head> of every page with a slider figure,
 * with __PLOTLY_JS__ replaced by the bundle's file name. Until the library is loaded, window.Plotly
 * is a stand-in: a figure's own script calls Plotly.newPlot(id, figure) as usual; the stand-in
 * remembers the call, watches that figure's <div>, fetches the library once the first watched
 * <div> is within 1000 px of the viewport, then makes the remembered calls, in order, on the real
 * Plotly (which replaces the stand-in). Every call returns a promise of the real call's result.
 */
(function () {
  "use strict";
  if (window.Plotly) return;
  var root = document.documentElement.getAttribute("data-content_root") || "";
  var source = root + "_static/__PLOTLY_JS__";
  var pending = [];
  var state = "waiting";  // waiting -> loading -> loaded (or failed)
  var observer = null;

  function replay(call) {
    try {
      Promise.resolve(window.Plotly[call.method].apply(window.Plotly, call.args)).then(call.resolve, call.reject);
    } catch (error) {
      call.reject(error);
    }
  }

  function load() {
    if (state !== "waiting") return;
    state = "loading";
    if (observer) observer.disconnect();
    var script = document.createElement("script");
    script.src = source;
    script.async = true;
    script.onload = function () {
      state = "loaded";
      var calls = pending;
      pending = [];
      calls.forEach(replay);
    };
    script.onerror = function () {
      state = "failed";
      var error = new Error("could not load " + source);
      pending.forEach(function (call) { call.reject(error); });
      pending = [];
      console.error(error.message);
    };
    document.head.appendChild(script);
  }

  function watch(target) {
    var element = typeof target === "string" ? document.getElementById(target) : target;
    if (!("IntersectionObserver" in window) || !element || !element.nodeType) {
      load();
      return;
    }
    if (!observer) {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) load();
      }, { rootMargin: "1000px 0px" });
    }
    observer.observe(element);
  }

  window.Plotly = new Proxy({}, {
    get: function (_, method) {
      if (method === "then") return undefined;  // the stand-in is not itself a promise
      return function () {
        var args = Array.prototype.slice.call(arguments);
        if (state === "loaded") return window.Plotly[method].apply(window.Plotly, args);
        return new Promise(function (resolve, reject) {
          pending.push({ method: method, args: args, resolve: resolve, reject: reject });
          if (method === "newPlot" || method === "react") watch(args[0]);
        });
      };
    },
  });
})();
