// Stands in for stylesheets and images imported by components.
module.exports = {};
