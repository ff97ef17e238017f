<?php
/**
 * Renders a WordPress page with the Homeslot plugin, without WordPress: the few WordPress
 * functions the plugin calls, done the way WordPress does them, then a page whose content holds
 * shortcodes and a block, as a theme would print it. e2e/recipes.test.mjs books through the
 * output in Chromium.
 *
 *     php render.php EDGE COMPANY [FLOATING_TEXT] > page.html
 */

define('ABSPATH', __DIR__ . '/');

$options = array('homeslot_edge' => $argv[1] ?? '', 'homeslot_company' => $argv[2] ?? '', 'homeslot_floating' => $argv[3] ?? '');
$actions = array();
$shortcodes = array();
$blocks = array();
$scripts = array();

function get_option($name, $default = false) { global $options; return $options[$name] ?? $default; }
function add_action($hook, $callback) { global $actions; $actions[$hook][] = $callback; }
function do_action($hook) { global $actions; foreach ($actions[$hook] ?? array() as $callback) { $callback(); } }
function add_shortcode($tag, $callback) { global $shortcodes; $shortcodes[$tag] = $callback; }
function current_user_can($capability) { return false; }
function __($text, $domain = null) { return $text; }
function esc_html__($text, $domain = null) { return esc_html($text); }
function esc_html_e($text, $domain = null) { echo esc_html($text); }
function esc_html($text) { return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8'); }
function esc_attr($text) { return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8'); }
function esc_url($url) { return preg_match('#^https?://#', $url) ? esc_attr($url) : ''; }
function esc_url_raw($url) { return preg_match('#^https?://#', $url) ? $url : ''; }
function sanitize_text_field($text) { return trim(strip_tags((string) $text)); }
function shortcode_atts($defaults, $given, $tag = '') {
    $out = array();
    foreach ($defaults as $name => $default) { $out[$name] = array_key_exists($name, (array) $given) ? $given[$name] : $default; }
    return $out;
}
function wp_enqueue_script($handle, $src, $deps = array(), $version = false, $args = array()) {
    global $scripts;
    $scripts[$handle] = array($src, $args['strategy'] ?? '');
}
function register_block_type($path, $args) {
    global $blocks;
    $meta = json_decode(file_get_contents($path . '/block.json'), true);
    $blocks[$meta['name']] = array('attributes' => $meta['attributes'], 'render' => $args['render_callback']);
}
function register_setting() {}
function add_options_page() {}

/** WordPress's own shortcode syntax: [tag name="value" …]. */
function do_shortcode($content) {
    global $shortcodes;
    return preg_replace_callback('/\[(\w+)((?:\s+[\w-]+=(?:"[^"]*"|\'[^\']*\'))*)\s*\]/', function ($m) use ($shortcodes) {
        if (!isset($shortcodes[$m[1]])) { return $m[0]; }
        preg_match_all('/([\w-]+)=(?:"([^"]*)"|\'([^\']*)\')/', $m[2], $pairs, PREG_SET_ORDER);
        $atts = array();
        foreach ($pairs as $pair) { $atts[strtolower($pair[1])] = $pair[2] !== '' ? $pair[2] : ($pair[3] ?? ''); }
        return $shortcodes[$m[1]]($atts);
    }, $content);
}

/** A block as the editor saves it (<!-- wp:homeslot/booking {…} /-->), rendered on the server. */
function render_block($name, $attributes) {
    global $blocks;
    $all = array();
    foreach ($blocks[$name]['attributes'] as $key => $spec) { $all[$key] = $attributes[$key] ?? $spec['default']; }
    return $blocks[$name]['render']($all);
}

require __DIR__ . '/../homeslot/homeslot.php';
do_action('init');

$content = '<h2>Book online</h2>[homeslot]'
    . '<h2>Our team</h2><p>[homeslot mode="popup" service="mens-cut" specialist="marco" text="Book with Marco"]</p>';
$content = do_shortcode($content);
$block = render_block('homeslot/booking', array('mode' => 'popup', 'service' => 'blow-dry', 'text' => 'Book a blow-dry'));
$bad = do_shortcode('[homeslot service=\'x"><script>alert(1)</script>\' date="soon" language="de"]');

ob_start();
do_action('wp_footer');
$footer = ob_get_clean();

// WordPress prints a queued script in the head, with its strategy.
$head = '';
foreach ($scripts as $handle => list($src, $strategy)) {
    $head .= sprintf('<script src="%s" id="%s-js"%s></script>', esc_url($src), esc_attr($handle), $strategy ? " $strategy data-wp-strategy=\"$strategy\"" : '');
}

echo "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Salon – WordPress</title>"
    . "<link rel=\"icon\" href=\"data:,\">$head"
    // A typical theme's styles on buttons and content.
    . "<style>body{font:18px/1.7 Georgia,serif;margin:0 auto;max-width:720px} .wp-element-button,button{background:#111;color:#fff;padding:12px 20px;border:0}</style>"
    . "</head><body class=\"page\"><main class=\"entry-content\">$content$block<template id=\"checked\">$bad</template></main>$footer</body></html>\n";
