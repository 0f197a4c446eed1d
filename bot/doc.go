// Package bot is mailhelp's core, shared by every platform: the Request a
// person sends, the structured Reply a handler returns, the Handler contract
// and its middleware, the Router that ties them together, and the parser
// that understands a request (intent, client, address, language).
//
// It knows nothing of Slack, Discord, HTTP or terminals: adapters build a
// Request, call Router.Serve and hand the Reply to a renderer. It imports
// only the standard library, golang.org/x/text and this module's knowledge
// package.
package bot
