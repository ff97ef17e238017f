/*! Homeslot's hosted booking page (/b/{company}): the owner's trackers, and the frame's height
 *  when the page is the inside of the loader's iframe mode. A file, not an inline script: the
 *  page's Content-Security-Policy allows scripts from the edge only. The edge writes the data-*
 *  values, each checked: data-ga4 (a GA4 measurement id), data-gtm (a Tag Manager container
 *  id), data-pixel (a Meta Pixel id),
 *  data-parent (the exact origin of the owner's page that frames this one). */
(function () {
  var data = document.currentScript.dataset;

  function load(src) {
    var script = document.createElement("script");
    script.async = true;
    script.src = src;
    document.head.appendChild(script);
  }

  // Google's tag, as its own snippet sets it up; the widget then finds `gtag` and sends to it.
  if (data.ga4) {
    window.dataLayer = window.dataLayer || [];
    window.gtag = function () { dataLayer.push(arguments); };
    gtag("js", new Date());
    gtag("config", data.ga4);
    load("https://www.googletagmanager.com/gtag/js?id=" + encodeURIComponent(data.ga4));
  }

  // Google Tag Manager's container, as its own snippet sets it up (its tags may load only from
  // Google's hosts: the page's policy allows no others).
  if (data.gtm) {
    window.dataLayer = window.dataLayer || [];
    dataLayer.push({ "gtm.start": Date.now(), event: "gtm.js" });
    load("https://www.googletagmanager.com/gtm.js?id=" + encodeURIComponent(data.gtm));
  }

  // Meta's Pixel, as its own snippet sets it up: calls queue until fbevents.js arrives.
  if (data.pixel) {
    var fbq = window.fbq = function () {
      fbq.callMethod ? fbq.callMethod.apply(fbq, arguments) : fbq.queue.push(arguments);
    };
    window._fbq = fbq;
    fbq.push = fbq;
    fbq.loaded = true;
    fbq.version = "2.0";
    fbq.queue = [];
    fbq("init", data.pixel);
    fbq("track", "PageView");
    load("https://connect.facebook.net/en_US/fbevents.js");
  }

  // Framed: the parent sizes the frame to the page, so the client never scrolls inside a box.
  // Only to the parent's exact origin, which the edge checked against the company's sites.
  if (data.parent && window.parent !== window) {
    var last = 0;
    new ResizeObserver(function () {
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== last) parent.postMessage({ source: "homeslot", height: (last = height) }, data.parent);
    }).observe(document.documentElement);
  }
})();
