package bot

import "context"

// ConversationKey names one person's conversation on a platform: the
// key under which the Router recalls and remembers its Context. It is
// "" when the platform gives no conversation or no user.
func ConversationKey(platform, conversation, user string) string {
	if conversation == "" || user == "" {
		return ""
	}
	return platform + "\x00" + conversation + "\x00" + user
}

type recallHintKey struct{}

// WithRecallHint tells the Deliveries claiming a delivery that its
// answer will recall the conversation key (ConversationKey): a
// Deliveries sharing a store with the Memory may fetch the context with
// the claim, in one round trip instead of two. It is a hint: a
// Deliveries that ignores it, or a key that turns out not to be
// recalled, costs nothing but that.
func WithRecallHint(ctx context.Context, key string) context.Context {
	if key == "" {
		return ctx
	}
	return context.WithValue(ctx, recallHintKey{}, key)
}

// RecallHint is the key WithRecallHint gave ctx, or "".
func RecallHint(ctx context.Context) string {
	k, _ := ctx.Value(recallHintKey{}).(string)
	return k
}
