<?php
/**
 * Plugin Name: Homeslot booking widget
 * Description: Your own online booking on your WordPress site: the [homeslot] shortcode, the "Homeslot booking" block and an optional floating "Book" button.
 * Version: 1.0.0
 * Requires at least: 6.1
 * Requires PHP: 7.4
 * License: MIT
 * Text Domain: homeslot
 *
 * Settings → Homeslot holds the booking edge's address and the company id. Every widget on the
 * site uses them; a shortcode or a block only says what to preselect. The loader comes from the
 * edge (one small async script, no cookies), once per page, only on pages that show a widget.
 */

if (!defined('ABSPATH')) {
    exit;
}

/** The options a shortcode or block may set, each an attribute of <homeslot-widget>. */
const HOMESLOT_ATTRIBUTES = array('location', 'service', 'specialist', 'date', 'language', 'theme');

/** The site's settings, with their defaults. */
function homeslot_settings() {
    return array(
        'edge' => rtrim((string) get_option('homeslot_edge', ''), '/'),
        'company' => (string) get_option('homeslot_company', ''),
        'floating' => (string) get_option('homeslot_floating', ''),
    );
}

/** A company, location, service or specialist id: the edge's ids are a–z, 0–9 and '-'. */
function homeslot_sanitize_id($value) {
    return preg_replace('/[^a-z0-9-]/', '', strtolower((string) $value));
}

/** An option of a shortcode or block, cleaned for its kind. */
function homeslot_sanitize_attribute($name, $value) {
    $value = trim((string) $value);
    if ($name === 'date') {
        return preg_match('/^\d{4}-\d{2}-\d{2}$/', $value) ? $value : '';
    }
    if ($name === 'language' || $name === 'theme') {
        return preg_replace('/[^a-z-]/', '', strtolower($value));
    }
    return homeslot_sanitize_id($value);
}

/** Queues the loader for this page (once, however many widgets it shows): `async` from WordPress
 *  6.3 on; before, the same arguments put it in the footer. */
function homeslot_enqueue_loader() {
    $settings = homeslot_settings();
    if ($settings['edge'] === '') {
        return false;
    }
    wp_enqueue_script('homeslot-loader', $settings['edge'] . '/embed/loader.js', array(), null, array('strategy' => 'async', 'in_footer' => false));
    return true;
}

/**
 * The [homeslot] shortcode and the block's output: an inline widget, a button that opens the
 * widget in a popup (mode="popup", with text="…"), or the widget in a frame (mode="iframe").
 *
 *     [homeslot]  [homeslot service="mens-cut"]  [homeslot mode="popup" specialist="anna" text="Book with Anna"]
 */
function homeslot_render($attributes) {
    $attributes = is_array($attributes) ? $attributes : array();
    $settings = homeslot_settings();
    $company = homeslot_sanitize_id(isset($attributes['company']) && $attributes['company'] !== '' ? $attributes['company'] : $settings['company']);
    if ($company === '' || !homeslot_enqueue_loader()) {
        // Only editors see why nothing shows; visitors see nothing.
        return current_user_can('manage_options')
            ? '<p><em>' . esc_html__('Homeslot: set the edge address and your company id under Settings → Homeslot.', 'homeslot') . '</em></p>'
            : '';
    }
    $mode = isset($attributes['mode']) ? $attributes['mode'] : 'inline';
    $html = '';
    foreach (HOMESLOT_ATTRIBUTES as $name) {
        $value = isset($attributes[$name]) ? homeslot_sanitize_attribute($name, $attributes[$name]) : '';
        if ($value !== '') {
            $html .= $mode === 'popup'
                ? sprintf(' data-homeslot-%s="%s"', $name, esc_attr($value))
                : sprintf(' %s="%s"', $name, esc_attr($value));
        }
    }
    if ($mode === 'popup') {
        $text = isset($attributes['text']) && $attributes['text'] !== '' ? $attributes['text'] : __('Book online', 'homeslot');
        return sprintf('<button type="button" class="homeslot-button wp-element-button" data-homeslot-company="%s"%s>%s</button>', esc_attr($company), $html, esc_html($text));
    }
    $frame = $mode === 'iframe' ? ' mode="iframe"' : '';
    return sprintf('<homeslot-widget company="%s"%s%s></homeslot-widget>', esc_attr($company), $html, $frame);
}

function homeslot_shortcode($attributes) {
    return homeslot_render(shortcode_atts(array_fill_keys(array_merge(HOMESLOT_ATTRIBUTES, array('company', 'mode', 'text')), ''), $attributes, 'homeslot'));
}

add_shortcode('homeslot', 'homeslot_shortcode');

/** The block: the same options as the shortcode, in the editor's sidebar, rendered by PHP. */
function homeslot_register_block() {
    register_block_type(__DIR__ . '/block', array('render_callback' => 'homeslot_render'));
}

add_action('init', 'homeslot_register_block');

/** The floating button on every page, when the settings turn it on. */
function homeslot_floating_button() {
    $settings = homeslot_settings();
    if ($settings['floating'] === '' || $settings['company'] === '' || $settings['edge'] === '') {
        return;
    }
    printf(
        '<script async src="%s" data-company="%s" data-mode="floating" data-button-text="%s"></script>',
        esc_url($settings['edge'] . '/embed/loader.js'),
        esc_attr($settings['company']),
        esc_attr($settings['floating'])
    );
}

add_action('wp_footer', 'homeslot_floating_button');

/** Settings → Homeslot. */
function homeslot_register_settings() {
    register_setting('homeslot', 'homeslot_edge', array('type' => 'string', 'sanitize_callback' => 'esc_url_raw'));
    register_setting('homeslot', 'homeslot_company', array('type' => 'string', 'sanitize_callback' => 'homeslot_sanitize_id'));
    register_setting('homeslot', 'homeslot_floating', array('type' => 'string', 'sanitize_callback' => 'sanitize_text_field'));
}

add_action('admin_init', 'homeslot_register_settings');

function homeslot_settings_page() {
    $settings = homeslot_settings();
    ?>
    <div class="wrap">
        <h1><?php esc_html_e('Homeslot booking', 'homeslot'); ?></h1>
        <form method="post" action="options.php">
            <?php settings_fields('homeslot'); ?>
            <table class="form-table" role="presentation">
                <tr>
                    <th scope="row"><label for="homeslot_edge"><?php esc_html_e('Booking edge address', 'homeslot'); ?></label></th>
                    <td><input name="homeslot_edge" id="homeslot_edge" type="url" class="regular-text" value="<?php echo esc_attr($settings['edge']); ?>" placeholder="https://book.example.com" required></td>
                </tr>
                <tr>
                    <th scope="row"><label for="homeslot_company"><?php esc_html_e('Company id', 'homeslot'); ?></label></th>
                    <td><input name="homeslot_company" id="homeslot_company" type="text" class="regular-text" value="<?php echo esc_attr($settings['company']); ?>" pattern="[a-z0-9-]+" required></td>
                </tr>
                <tr>
                    <th scope="row"><label for="homeslot_floating"><?php esc_html_e('Floating button text', 'homeslot'); ?></label></th>
                    <td><input name="homeslot_floating" id="homeslot_floating" type="text" class="regular-text" value="<?php echo esc_attr($settings['floating']); ?>">
                        <p class="description"><?php esc_html_e('Shows a "Book" button in the corner of every page. Leave empty for none.', 'homeslot'); ?></p></td>
                </tr>
            </table>
            <p><?php esc_html_e('Add your site to your company\'s sites in Homeslot, then place [homeslot] or the "Homeslot booking" block on any page.', 'homeslot'); ?></p>
            <?php submit_button(); ?>
        </form>
    </div>
    <?php
}

function homeslot_admin_menu() {
    add_options_page(__('Homeslot booking', 'homeslot'), 'Homeslot', 'manage_options', 'homeslot', 'homeslot_settings_page');
}

add_action('admin_menu', 'homeslot_admin_menu');
