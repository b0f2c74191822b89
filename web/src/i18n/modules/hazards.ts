// Messages of the hazards screens, merged under the same keys into zh-CN and en
// by ../index.ts. zh-CN is the first language; en mirrors its keys.
export default {
  'zh-CN': {},
  en: {},
};
