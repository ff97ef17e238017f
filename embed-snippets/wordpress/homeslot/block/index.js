// The "Homeslot booking" block in the editor: its options in the sidebar, and a preview rendered
// by the plugin's PHP (the same output as the [homeslot] shortcode). Plain script: no build step.
(function (wp) {
  var el = wp.element.createElement;
  var __ = wp.i18n.__;
  var Inspector = wp.blockEditor.InspectorControls;
  var components = wp.components;
  var fields = [
    ["service", __("Service id", "homeslot")],
    ["specialist", __("Specialist id (or any)", "homeslot")],
    ["location", __("Location id", "homeslot")],
    ["date", __("Date (YYYY-MM-DD)", "homeslot")],
    ["language", __("Language (en, de, ar…)", "homeslot")],
    ["theme", __("Theme (default, dark, blush, forest)", "homeslot")],
  ];
  wp.blocks.registerBlockType("homeslot/booking", {
    edit: function (props) {
      var a = props.attributes;
      var set = function (name) { return function (value) { var next = {}; next[name] = value; props.setAttributes(next); }; };
      var controls = [
        el(components.SelectControl, {
          key: "mode", label: __("Shown as", "homeslot"), value: a.mode, onChange: set("mode"),
          options: [
            { value: "inline", label: __("The booking form", "homeslot") },
            { value: "popup", label: __("A button that opens it", "homeslot") },
            { value: "iframe", label: __("The booking form in a frame", "homeslot") },
          ],
        }),
      ];
      if (a.mode === "popup") controls.push(el(components.TextControl, { key: "text", label: __("Button text", "homeslot"), value: a.text, onChange: set("text") }));
      fields.forEach(function (f) { controls.push(el(components.TextControl, { key: f[0], label: f[1], value: a[f[0]], onChange: set(f[0]) })); });
      return el("div", wp.blockEditor.useBlockProps(),
        el(Inspector, null, el(components.PanelBody, { title: __("Booking", "homeslot") }, controls)),
        el(wp.serverSideRender, { block: "homeslot/booking", attributes: a }));
    },
    save: function () { return null; },
  });
})(window.wp);
