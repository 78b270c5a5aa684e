import type { Env } from './env.ts';

export default {
  async fetch(request, env) {
    return new Response(`placeholder ${new URL(request.url).pathname} ${env.DJOMY_BASE_URL}`);
  },
} satisfies ExportedHandler<Env>;
