// A build-time tool (a devDependency): stamps the built file.
exports.banner = (text) => `// built by banner: ${text}\n`;
