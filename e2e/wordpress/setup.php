<?php
/**
 * Sets up a real WordPress site for scripts/wordpress-check with WordPress's own functions:
 * installs it (once), activates the Homeslot plugin, saves its settings, and publishes a page
 * holding the [homeslot] shortcode and the "Homeslot booking" block as the editor saves them.
 * Prints the page's address.
 *
 *     php setup.php HOST EDGE COMPANY
 */

$_SERVER['HTTP_HOST'] = $argv[1];
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

if (!is_blog_installed()) {
    wp_install('Lumière (WordPress)', 'owner', 'owner@example.com', false, '', wp_generate_password(24));
}
update_option('homeslot_edge', $argv[2]);
update_option('homeslot_company', $argv[3]);
update_option('homeslot_floating', 'Book now');
$activated = activate_plugin('homeslot/homeslot.php');
if (is_wp_error($activated)) {
    fwrite(STDERR, $activated->get_error_message() . "\n");
    exit(1);
}
$content = "<!-- wp:paragraph --><p>Book your visit:</p><!-- /wp:paragraph -->\n"
    . "<!-- wp:shortcode -->[homeslot]<!-- /wp:shortcode -->\n"
    . '<!-- wp:homeslot/booking {"mode":"popup","service":"mens-cut","specialist":"marco","text":"Book with Marco"} /-->';
$page = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Book online', 'post_content' => $content));
echo home_url('/?page_id=' . $page) . "\n";
