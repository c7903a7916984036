// Components inject their stylesheets at import; jsdom's CSS parser cannot
// take some of them, and tests assert behaviour, not styles.
module.exports = function styleInject() {};
module.exports.default = module.exports;
